import { Injectable } from '@nestjs/common';
import type { Role } from '@pm/auth-tokens';
import { Transactions } from '@pm/platform';
import { PatientContactResponse, PatientResponse } from '../shared/dto/patient.response';
import { Patient } from '../shared/patient.entity';
import { PatientNotFoundError, PatientVersionMismatchError } from '../shared/patient.errors';
import { PatientEventsPublisher, patientEvent } from '../shared/patient-events.publisher';
import { patientViewFor } from '../shared/patient-view';
import { PatientCache } from './patient-cache';
import { PatientChanges, RecordsRepository } from './records.repository';

/** A patient as a role may see it, with the version its ETag names. */
export interface PatientRead {
  view: PatientResponse | PatientContactResponse;
  version: number;
}

/**
 * The rules of existing patient records. Every change is announced on Kafka through the outbox,
 * recorded in the change's own transaction, and replaces the cached entry before it answers.
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly records: RecordsRepository,
    private readonly events: PatientEventsPublisher,
    private readonly transactions: Transactions,
    private readonly cache: PatientCache,
  ) {}

  /** The patient as `role` may see it (patientViewFor). */
  async read(id: string, role: Role): Promise<PatientRead> {
    const patient = await this.get(id);
    return { view: patientViewFor(role, patient), version: patient.version };
  }

  /** From the cache when warm; every write below replaces the entry before it answers. */
  async get(id: string): Promise<Patient> {
    const cached = await this.cache.get(id);
    if (cached) return cached;
    const patient = await this.records.findLive(id);
    if (!patient) throw new PatientNotFoundError(id);
    await this.cache.remember(patient);
    return patient;
  }

  /**
   * With `acceptedVersions` (If-Match), PatientVersionMismatchError when the record moved on;
   * PatientEmailTakenError when the email is another patient's.
   */
  async update(id: string, changes: PatientChanges, requestId: string, acceptedVersions?: number[]): Promise<Patient> {
    const patient = await this.transactions.run(async (tx) => {
      const updated = await this.records.update(id, changes, acceptedVersions, tx);
      if (!updated) {
        if (acceptedVersions && (await this.records.findLive(id, tx))) throw new PatientVersionMismatchError(id);
        throw new PatientNotFoundError(id);
      }
      await this.events.record([patientEvent('PATIENT_UPDATED', updated, requestId)], tx);
      return updated;
    });
    await this.cache.put(patient);
    return patient;
  }

  /** A soft delete: the record is kept (audit, restore) but hidden; PATIENT_DELETED is announced. */
  async delete(id: string, requestId: string): Promise<void> {
    const patient = await this.transactions.run(async (tx) => {
      const deleted = await this.records.softDelete(id, tx);
      if (!deleted) throw new PatientNotFoundError(id);
      await this.events.record([patientEvent('PATIENT_DELETED', deleted, requestId)], tx);
      return deleted;
    });
    await this.cache.putDeleted(id, patient.version);
  }

  /**
   * Brings a deleted patient back. Announced as PATIENT_CREATED: the contract has no restore
   * event, and consumers (analytics totals, appointments' directory) must count the patient as
   * present again. Restoring a patient that is not deleted changes and announces nothing.
   * PatientEmailTakenError when another patient now has its email.
   */
  async restore(id: string, requestId: string): Promise<Patient> {
    const { patient, restored } = await this.transactions.run(async (tx) => {
      const undeleted = await this.records.undelete(id, tx);
      if (undeleted) {
        await this.events.record([patientEvent('PATIENT_CREATED', undeleted, requestId)], tx);
        return { patient: undeleted, restored: true };
      }
      const live = await this.records.findLive(id, tx);
      if (!live) throw new PatientNotFoundError(id);
      return { patient: live, restored: false };
    });
    if (restored) await this.cache.put(patient);
    return patient;
  }
}
