import { Injectable } from '@nestjs/common';
import { Transactions } from '@pm/platform';
import { PatientContactResponse, PatientResponse } from '../patients/shared/dto/patient.response';
import { PatientNotFoundError } from '../patients/shared/patient.errors';
import { patientViewFor } from '../patients/shared/patient-view';
import { RecordsService } from '../patients/records/records.service';
import type { ClinicalAccess, RecordCaller } from '../record-access/record-access';
import { RecordAccessService } from '../record-access/record-access.service';
import type { ClinicalEntry, ClinicalEntryFields, ClinicalEntryVersion, ClinicalPage } from './clinical-entry';
import { CLINICAL_RULES, ClinicalKind } from './clinical-kinds';
import { CodedText } from './dto/coded-text.dto';
import { NO_KNOWN_ALLERGY } from './dto/clinical-rules';
import { AllergiesKnownError, AmendedNoteNotFoundError, MedicationAllergyConflictError, ClinicalEntryEnteredInErrorError, ClinicalEntryNotFoundError, ClinicalEntryVersionMismatchError } from './clinical.errors';
import { ClinicalRepository, EntryAddress, ListOptions } from './clinical.repository';
import { visitDocumentedEvents } from './visit-documented';

/** Whether an allergy entry's details are the "no known allergies" statement (SNOMED CT 716186003). */
export function isNoKnownAllergy(details: Record<string, unknown>): boolean {
  const coding = (details.substance as CodedText | undefined)?.coding;
  return coding?.system === NO_KNOWN_ALLERGY.system && coding.code === NO_KNOWN_ALLERGY.code;
}

/** How many of the latest notes the chart shows. */
export const CHART_NOTES = 5;

export interface Chart extends Record<ClinicalKind, ClinicalEntry[]> {
  patient: PatientResponse | PatientContactResponse;
}

/**
 * The rules of the medical record. An entry belongs to a live patient (a deleted patient's record
 * answers 404 like the patient); nothing is deleted: a correction makes a new version, an entry
 * made in error is marked, hidden and kept, and every version stays readable. Every call names
 * its caller: a restricted record is for its care team (RecordAccessService decides, and answers
 * the same to every route that calls here).
 */
@Injectable()
export class ClinicalService {
  constructor(
    private readonly entries: ClinicalRepository,
    private readonly patients: RecordsService,
    private readonly transactions: Transactions,
    private readonly access: RecordAccessService,
  ) {}

  /**
   * Records a new entry by the caller. PatientNotFoundError for an unknown or deleted patient; for
   * a medication that matches an active allergy, MedicationAllergyConflictError unless
   * `acknowledgeAllergy` (then the entry keeps which allergies were acknowledged).
   */
  async record(patientId: string, kind: ClinicalKind, fields: ClinicalEntryFields, caller: RecordCaller, { acknowledgeAllergy = false } = {}): Promise<ClinicalEntry> {
    await this.reach(patientId, caller, 'write', kind);
    const by = caller.userId;
    const amends = kind === 'notes' ? fields.details.amends : undefined;
    if (typeof amends === 'string' && !(await this.entries.find({ patientId, kind, id: amends }))) throw new AmendedNoteNotFoundError();
    const allergies = kind === 'medications' ? await this.matchingAllergies(patientId, fields.details.medication as CodedText) : [];
    if (allergies.length > 0 && !acknowledgeAllergy) throw new MedicationAllergyConflictError(allergies);
    const recorded = allergies.length > 0 ? { ...fields, details: { ...fields.details, acknowledgedAllergies: allergies } } : fields;
    const statements = kind === 'allergies' && fields.status === 'active' ? await this.contradictedStatements(patientId, fields) : [];
    return this.transactions.run(async (tx) => {
      // A real allergy ends an active "no known allergies": the statement is no longer true.
      for (const statement of statements) {
        const address = { patientId, kind, id: statement.id };
        await this.entries.correct(address, { status: 'inactive', code: null, effectiveAt: null, details: statement.details }, [statement.version], by, tx);
      }
      const entry = await this.entries.insert(patientId, kind, recorded, by, tx);
      // Same transaction as the note: the appointment is marked documented if and only if the note exists.
      await this.entries.recordEvents(visitDocumentedEvents(entry), tx);
      return entry;
    });
  }

  /**
   * For an active allergy: the active "no known allergies" statements it ends. For an active "no
   * known allergies": AllergiesKnownError when an active allergy contradicts it.
   */
  private async contradictedStatements(patientId: string, fields: ClinicalEntryFields): Promise<ClinicalEntry[]> {
    const active = await this.entries.withStatus(patientId, 'allergies', 'active');
    const statements = active.filter((allergy) => isNoKnownAllergy(allergy.details));
    if (!isNoKnownAllergy(fields.details)) return statements;
    const known = active.filter((allergy) => !isNoKnownAllergy(allergy.details));
    if (known.length > 0) throw new AllergiesKnownError(known.map((allergy) => allergy.id));
    return [];
  }

  /** The patient's active allergies whose substance has the medication's coding (same system and code). */
  private async matchingAllergies(patientId: string, medication: CodedText): Promise<string[]> {
    const coding = medication.coding;
    if (!coding) return [];
    const active = await this.entries.withStatus(patientId, 'allergies', 'active');
    return active
      .filter((allergy) => {
        const substance = (allergy.details.substance as CodedText).coding;
        return substance?.system === coding.system && substance.code.toUpperCase() === coding.code.toUpperCase();
      })
      .map((allergy) => allergy.id);
  }

  /** The entry, entered-in-error or not (a direct read shows what was hidden, and why). */
  async read(address: EntryAddress, caller: RecordCaller): Promise<ClinicalEntry> {
    await this.reach(address.patientId, caller, 'read', address.kind);
    return this.existing(address);
  }

  /**
   * The entry of a kind by its id alone (a FHIR read: `/fhir/R4/Condition/{id}`), read as `read`
   * reads it, so the same rules apply; ClinicalEntryNotFoundError when there is none.
   */
  async readById(kind: ClinicalKind, id: string, caller: RecordCaller): Promise<ClinicalEntry> {
    const entry = await this.entries.findById(kind, id);
    if (!entry) throw new ClinicalEntryNotFoundError(CLINICAL_RULES[kind].noun);
    return this.read({ patientId: entry.patientId, kind, id }, caller);
  }

  /** The patient's live entries of a kind, newest first. */
  async list(patientId: string, kind: ClinicalKind, options: ListOptions, caller: RecordCaller): Promise<ClinicalPage> {
    await this.reach(patientId, caller, 'read', kind);
    return this.entries.list(patientId, kind, options);
  }

  /** A correction: the entry's fields replaced, as a new version. With If-Match, 412 when it moved on. */
  async correct(address: EntryAddress, fields: ClinicalEntryFields, acceptedVersions: number[] | undefined, caller: RecordCaller): Promise<ClinicalEntry> {
    await this.reach(address.patientId, caller, 'write', address.kind);
    const corrected = await this.transactions.run((tx) => this.entries.correct(address, fields, acceptedVersions, caller.userId, tx));
    return corrected ?? this.refusal(address);
  }

  /** Hides the entry from lists and the chart, keeping it and why. With If-Match, 412 when it moved on. */
  async markEnteredInError(address: EntryAddress, reason: string, acceptedVersions: number[] | undefined, caller: RecordCaller): Promise<ClinicalEntry> {
    await this.reach(address.patientId, caller, 'write', address.kind);
    const marked = await this.transactions.run((tx) => this.entries.markEnteredInError(address, reason, acceptedVersions, caller.userId, tx));
    return marked ?? this.refusal(address);
  }

  /**
   * The chart: the patient as the caller's role may see them, with active allergies, conditions
   * and medications, the latest measurement of each vital sign and the last notes, read in one
   * query (which also tells whether the record is restricted: only then is access checked further).
   */
  async chart(patientId: string, caller: RecordCaller): Promise<Chart> {
    const { patient, entries, restricted } = await this.entries.chart(patientId, CHART_NOTES);
    if (!patient) throw new PatientNotFoundError(patientId);
    if (restricted) await this.access.authorizeRestricted(patientId, caller, { access: 'read', entryKind: 'record' });
    const role = caller.role;
    const of = (kind: ClinicalKind) => entries.filter((entry) => entry.kind === kind);
    return {
      patient: patientViewFor(role, patient),
      allergies: of('allergies'),
      conditions: of('conditions'),
      medications: of('medications'),
      vitals: of('vitals'),
      notes: of('notes'),
    };
  }

  /** Every version of the entry, oldest first, with who made each change and when. */
  async history(address: EntryAddress, caller: RecordCaller): Promise<ClinicalEntryVersion[]> {
    await this.reach(address.patientId, caller, 'read', address.kind);
    await this.existing(address);
    return this.entries.history(address);
  }

  /** A live patient (PatientNotFoundError otherwise) whose record the caller may reach for this. */
  private async reach(patientId: string, caller: RecordCaller, access: ClinicalAccess, kind: ClinicalKind): Promise<void> {
    await this.patients.get(patientId);
    await this.access.authorize(patientId, caller, { access, entryKind: kind });
  }

  private async existing(address: EntryAddress): Promise<ClinicalEntry> {
    const entry = await this.entries.find(address);
    if (!entry) throw new ClinicalEntryNotFoundError(CLINICAL_RULES[address.kind].noun);
    return entry;
  }

  /** Why a change matched no row: no such entry, one marked entered-in-error, or a stale If-Match. */
  private async refusal(address: EntryAddress): Promise<never> {
    const entry = await this.existing(address);
    if (entry.enteredInError) throw new ClinicalEntryEnteredInErrorError();
    throw new ClinicalEntryVersionMismatchError();
  }
}
