import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ClinicalEvent, Topics, encodeClinicalEvent } from '@pm/contracts';
import { OutboxWriter } from '@pm/outbox';
import type { Transaction } from '@pm/platform';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../crypto/field-cipher';
import { Patient } from '../patients/shared/patient.entity';
import { PATIENT_COLUMNS, PatientRow, PatientStorageError, PatientTable } from '../patients/shared/patient-table';
import type { ClinicalKind } from './clinical-kinds';
import type { ClinicalChange, ClinicalEntry, ClinicalEntryFields, ClinicalEntryVersion, ClinicalPage } from './clinical-entry';

const ENTRY_COLUMNS = `id, patient_id, kind, status, code, effective_at, details, version, recorded_by, recorded_at,
  updated_by, updated_at, entered_in_error_at, entered_in_error_by, entered_in_error_reason`;

interface EntryRow {
  id: string;
  patient_id: string;
  kind: ClinicalKind;
  status: string;
  code: string | null;
  effective_at: Date;
  details: string;
  version: number;
  recorded_by: string;
  recorded_at: Date;
  updated_by: string;
  updated_at: Date;
  entered_in_error_at: Date | null;
  entered_in_error_by: string | null;
  entered_in_error_reason: string | null;
}

interface VersionRow {
  version: number;
  change: ClinicalChange;
  changed_by: string;
  changed_at: Date;
  snapshot: string;
}

/** Where an entry lives: the patient and kind in the path as well as its id, so an id under another patient is not found. */
export interface EntryAddress {
  patientId: string;
  kind: ClinicalKind;
  id: string;
}

export interface ListOptions {
  status?: string;
  /** A vital sign's LOINC code: only its measurements. */
  code?: string;
  /** How many entries to skip, when not whole pages (FHIR's `_offset`); `(page - 1) * size` otherwise. */
  offset?: number;
  page: number;
  size: number;
}

/**
 * The `clinical_entries` table and its versions. Clinical text goes in sealed and comes back
 * opened, so nothing above this class sees ciphertext and nothing below it sees clear text; a
 * failed query surfaces as its SQLSTATE only (PatientStorageError), never with its parameters.
 */
@Injectable()
export class ClinicalRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly patients: PatientTable,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Records a new entry and its first version. */
  async insert(patientId: string, kind: ClinicalKind, fields: ClinicalEntryFields, by: string, tx: Transaction): Promise<ClinicalEntry> {
    const [row] = await this.query<EntryRow>(
      `INSERT INTO clinical_entries (patient_id, kind, status, code, effective_at, details, recorded_by, updated_by)
       VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now()), $6, $7, $7) RETURNING ${ENTRY_COLUMNS}`,
      [patientId, kind, fields.status, fields.code, fields.effectiveAt, this.seal(fields.details), by],
      tx,
    );
    const entry = this.toEntry(row);
    await this.addVersion(entry, 'RECORDED', tx);
    return entry;
  }

  /**
   * Queues `clinical` events in the transaction's outbox, keyed by appointment id: published once
   * it commits. They hold ids only, so a failed INSERT's parameters reveal nothing clinical.
   */
  recordEvents(events: ClinicalEvent[], tx: Transaction): Promise<void> {
    return this.outbox.add(
      tx,
      events.map((event) => ({ topic: Topics.clinical, key: event.appointment_id, value: encodeClinicalEvent(event), headers: { 'event-type': event.event_type } })),
    );
  }

  /** The entry, entered-in-error or not; null when there is none at this address. */
  async find({ patientId, kind, id }: EntryAddress, tx?: Transaction): Promise<ClinicalEntry | null> {
    const [row] = await this.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM clinical_entries WHERE id = $1 AND patient_id = $2 AND kind = $3`,
      [id, patientId, kind],
      tx,
    );
    return row ? this.toEntry(row) : null;
  }

  /** The entry of a kind with this id, whoever's it is (a FHIR read names the entry alone); null when there is none. */
  async findById(kind: ClinicalKind, id: string): Promise<ClinicalEntry | null> {
    const [row] = await this.query<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM clinical_entries WHERE id = $1 AND kind = $2`, [id, kind]);
    return row ? this.toEntry(row) : null;
  }

  /** A page of the patient's live entries of a kind, newest first, with how many there are in all. */
  async list(patientId: string, kind: ClinicalKind, { status, code, page, size, offset = (page - 1) * size }: ListOptions): Promise<ClinicalPage> {
    const rows = await this.query<EntryRow & { total: string }>(
      `SELECT ${ENTRY_COLUMNS}, count(*) OVER () AS total FROM clinical_entries
       WHERE patient_id = $1 AND kind = $2 AND entered_in_error_at IS NULL AND ($3::text IS NULL OR status = $3) AND ($6::text IS NULL OR code = $6)
       ORDER BY effective_at DESC, id DESC LIMIT $4 OFFSET $5`,
      [patientId, kind, status ?? null, size, offset, code ?? null],
    );
    if (rows.length === 0 && offset > 0) {
      // Past the last page: the window count has no row to ride on.
      const [{ total }] = await this.query<{ total: string }>(
        `SELECT count(*) AS total FROM clinical_entries
         WHERE patient_id = $1 AND kind = $2 AND entered_in_error_at IS NULL AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR code = $4)`,
        [patientId, kind, status ?? null, code ?? null],
      );
      return { items: [], total: Number(total) };
    }
    return { items: rows.map(this.toEntry), total: rows.length ? Number(rows[0].total) : 0 };
  }

  /** Every live entry of a kind with `status`, for rules that look across the record (an allergy against a medication). */
  async withStatus(patientId: string, kind: ClinicalKind, status: string, tx?: Transaction): Promise<ClinicalEntry[]> {
    const rows = await this.query<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM clinical_entries
       WHERE patient_id = $1 AND kind = $2 AND status = $3 AND entered_in_error_at IS NULL ORDER BY effective_at DESC, id DESC`,
      [patientId, kind, status],
      tx,
    );
    return rows.map(this.toEntry);
  }

  /**
   * Replaces a live entry's fields and bumps its version; null when there is no live entry at
   * this address or, with `acceptedVersions`, when its version is none of them (the UPDATE checks,
   * so two correctors of the same version cannot both succeed).
   */
  async correct(address: EntryAddress, fields: ClinicalEntryFields, acceptedVersions: number[] | undefined, by: string, tx: Transaction): Promise<ClinicalEntry | null> {
    const [row] = await this.query<EntryRow>(
      `WITH corrected AS (
         UPDATE clinical_entries SET status = $4, code = $5, effective_at = COALESCE($6::timestamptz, effective_at), details = $7, updated_by = $8, updated_at = now(), version = version + 1
         WHERE id = $1 AND patient_id = $2 AND kind = $3 AND entered_in_error_at IS NULL AND ($9::int[] IS NULL OR version = ANY($9::int[]))
         RETURNING *)
       SELECT ${ENTRY_COLUMNS} FROM corrected`,
      [address.id, address.patientId, address.kind, fields.status, fields.code, fields.effectiveAt, this.seal(fields.details), by, acceptedVersions ?? null],
      tx,
    );
    if (!row) return null;
    const entry = this.toEntry(row);
    await this.addVersion(entry, 'CORRECTED', tx);
    return entry;
  }

  /** Marks a live entry entered-in-error (hidden from lists and the chart, kept); null when there is none. */
  async markEnteredInError(address: EntryAddress, reason: string, acceptedVersions: number[] | undefined, by: string, tx: Transaction): Promise<ClinicalEntry | null> {
    const [row] = await this.query<EntryRow>(
      `WITH marked AS (
         UPDATE clinical_entries SET entered_in_error_at = now(), entered_in_error_by = $4, entered_in_error_reason = $5,
           updated_by = $4, updated_at = now(), version = version + 1
         WHERE id = $1 AND patient_id = $2 AND kind = $3 AND entered_in_error_at IS NULL AND ($6::int[] IS NULL OR version = ANY($6::int[]))
         RETURNING *)
       SELECT ${ENTRY_COLUMNS} FROM marked`,
      [address.id, address.patientId, address.kind, by, this.cipher.encrypt(reason), acceptedVersions ?? null],
      tx,
    );
    if (!row) return null;
    const entry = this.toEntry(row);
    await this.addVersion(entry, 'ENTERED_IN_ERROR', tx);
    return entry;
  }

  /**
   * In one round trip, the patient's live record (null when there is none) and what its chart
   * shows: active allergies, conditions and medications, the latest measurement of each vital
       SELECT (SELECT to_json(patient) FROM patient) AS patient,
         (SELECT coalesce(json_agg(charted ORDER BY effective_at DESC, id DESC), '[]'::json) FROM charted) AS entries,
         EXISTS (SELECT 1 FROM record_restrictions WHERE patient_id = $1) AS restricted`,
   */
  async chart(patientId: string, notes: number): Promise<{ patient: Patient | null; entries: ClinicalEntry[]; restricted: boolean }> {
    const [row] = await this.query<{ patient: PatientRow | null; entries: EntryRow[]; restricted: boolean }>(
      `WITH patient AS (SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1 AND deleted_at IS NULL),
       live AS (
         SELECT ${ENTRY_COLUMNS} FROM clinical_entries
         WHERE patient_id = $1 AND entered_in_error_at IS NULL AND EXISTS (SELECT 1 FROM patient)),
       charted AS (
         (SELECT * FROM live WHERE kind IN ('allergies', 'conditions', 'medications') AND status = 'active')
         UNION ALL
         (SELECT DISTINCT ON (code) * FROM live WHERE kind = 'vitals' ORDER BY code, effective_at DESC, id DESC)
         UNION ALL
         (SELECT * FROM live WHERE kind = 'notes' ORDER BY effective_at DESC, id DESC LIMIT $2))
       SELECT (SELECT to_json(patient) FROM patient) AS patient,
         (SELECT coalesce(json_agg(charted ORDER BY effective_at DESC, id DESC), '[]'::json) FROM charted) AS entries,
         EXISTS (SELECT 1 FROM record_restrictions WHERE patient_id = $1) AS restricted`,
      [patientId, notes],
    );
    // JSON carries instants as text: the rows are made whole again before they are read.
    const patient = row.patient && this.patients.toPatient({ ...row.patient, created_at: new Date(row.patient.created_at), updated_at: new Date(row.patient.updated_at) });
    return { patient, entries: row.entries.map(this.toEntry), restricted: row.restricted };
  }

  /** Every version of the entry, oldest first. */
  async history({ id }: EntryAddress): Promise<ClinicalEntryVersion[]> {
    const rows = await this.query<VersionRow>(
      'SELECT version, change, changed_by, changed_at, snapshot FROM clinical_entry_versions WHERE entry_id = $1 ORDER BY version',
      [id],
    );
    return rows.map((row) => ({
      version: row.version,
      change: row.change,
      changedBy: row.changed_by,
      changedAt: row.changed_at,
      entry: reviveEntry(JSON.parse(this.cipher.decrypt(row.snapshot)) as SnapshotEntry),
    }));
  }

  private async addVersion(entry: ClinicalEntry, change: ClinicalChange, tx: Transaction): Promise<void> {
    await this.query(
      'INSERT INTO clinical_entry_versions (entry_id, version, change, changed_by, changed_at, snapshot) VALUES ($1, $2, $3, $4, $5, $6)',
      [entry.id, entry.version, change, entry.updatedBy, entry.updatedAt, this.seal(entry)],
      tx,
    );
  }

  private seal(value: unknown): string {
    return this.cipher.encrypt(JSON.stringify(value));
  }

  // `new Date` on each instant: a chart's rows come as JSON, with instants as text.
  private readonly toEntry = (row: EntryRow): ClinicalEntry => ({
    id: row.id,
    patientId: row.patient_id,
    kind: row.kind,
    status: row.status,
    code: row.code,
    effectiveAt: new Date(row.effective_at),
    details: JSON.parse(this.cipher.decrypt(row.details)) as Record<string, unknown>,
    version: row.version,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at),
    updatedBy: row.updated_by,
    updatedAt: new Date(row.updated_at),
    enteredInError: row.entered_in_error_at
      ? { at: new Date(row.entered_in_error_at), by: row.entered_in_error_by!, reason: this.cipher.decrypt(row.entered_in_error_reason!) }
      : null,
  });

  private async query<Row>(sql: string, params: unknown[], tx: Transaction = this.dataSource.manager): Promise<Row[]> {
    try {
      return (await tx.query(sql, params)) as Row[];
    } catch (error) {
      throw PatientStorageError.from(error);
    }
  }
}

/** An entry as JSON holds it (dates as text). */
type SnapshotEntry = Omit<ClinicalEntry, 'effectiveAt' | 'recordedAt' | 'updatedAt' | 'enteredInError'> & {
  effectiveAt: string;
  recordedAt: string;
  updatedAt: string;
  enteredInError: { at: string; by: string; reason: string } | null;
};

function reviveEntry(snapshot: SnapshotEntry): ClinicalEntry {
  return {
    ...snapshot,
    effectiveAt: new Date(snapshot.effectiveAt),
    recordedAt: new Date(snapshot.recordedAt),
    updatedAt: new Date(snapshot.updatedAt),
    enteredInError: snapshot.enteredInError ? { ...snapshot.enteredInError, at: new Date(snapshot.enteredInError.at) } : null,
  };
}
