import { Injectable, Logger } from '@nestjs/common';
import { BillingClient } from '../billing/billing.client';
import { Patient, PatientDetails, PatientListQuery, PatientPage } from './patient.entity';
import { PatientNotFoundError } from './patient.errors';
import { PatientCache } from './patient-cache';
import { PatientEventsFor, announce, patientEvent } from './patient-events.publisher';
import { requestFingerprint } from './preconditions';
import { PatientsRepository } from './patients.repository';

export type PatientChanges = Omit<PatientDetails, 'registeredDate'> & { registeredDate?: string };

/**
 * The rules of patient records. Every change is announced on Kafka through the outbox (recorded
 * in the change's transaction); a new patient also gets a billing account, its request recorded
 * in the same transaction so no crash can lose it. Neither billing nor Kafka being down fails a
 * change.
 */
@Injectable()
export class PatientsService {
  private readonly logger = new Logger(PatientsService.name);

  constructor(
    private readonly patients: PatientsRepository,
    private readonly billing: BillingClient,
    private readonly cache: PatientCache,
  ) {}

  list(query: PatientListQuery): Promise<PatientPage> {
    return this.patients.list(query);
  }

  /** From the cache when warm; every write below replaces the entry before it answers. */
  async get(id: string): Promise<Patient> {
    const cached = await this.cache.get(id);
    if (cached) return cached;
    const patient = await this.patients.findById(id);
    if (!patient) throw new PatientNotFoundError(id);
    await this.cache.remember(patient);
    return patient;
  }

  /**
   * Throws PatientEmailTakenError when the email is taken in any case, and, unless
   * `confirmDuplicate`, PatientLikelyDuplicateError when a live patient has the same birth date
   * and a similar name (checked in the insert's transaction, so two simultaneous creates of one
   * person cannot both pass).
   */
  async create(details: PatientDetails, requestId: string, confirmDuplicate = false): Promise<Patient> {
    const patient = await this.patients.insert(details, this.registered(requestId), !confirmDuplicate);
    await this.openBillingAccount(patient, requestId);
    return patient;
  }

  /**
   * A create that a retry with the same caller and key repeats: the first result comes back and
   * no second patient (or billing account) is made. IdempotencyKeyReusedError for other details.
   * A key older than IDEMPOTENCY_KEY_TTL_HOURS is forgotten: the create is a new one.
   */
  async createOnce(
    details: PatientDetails,
    requestId: string,
    idempotency: { actorId: string; key: string },
    confirmDuplicate = false,
  ): Promise<Patient> {
    const { patient, replayed } = await this.patients.insertOnce(
      details,
      this.registered(requestId),
      { ...idempotency, fingerprint: requestFingerprint(details) },
      !confirmDuplicate,
    );
    if (!replayed) await this.openBillingAccount(patient, requestId);
    return patient;
  }

  /**
   * Adds a patient with a fixed id unless it (or its email) exists, and announces it like a new
   * one; false when it was already there. For demo data, so restarts change nothing.
   */
  async createIfAbsent(id: string, details: PatientDetails, requestId: string): Promise<boolean> {
    const patient = await this.patients.insertIfAbsent(id, details, this.registered(requestId));
    if (!patient) return false;
    await this.openBillingAccount(patient, requestId);
    return true;
  }

  /** With `acceptedVersions` (If-Match), PatientVersionMismatchError when the record moved on. */
  async update(id: string, changes: PatientChanges, requestId: string, acceptedVersions?: number[]): Promise<Patient> {
    const patient = await this.patients.update(id, changes, announce('PATIENT_UPDATED', requestId), acceptedVersions);
    if (!patient) throw new PatientNotFoundError(id);
    await this.cache.put(patient);
    return patient;
  }

  /** A soft delete: the record is kept (audit, restore) but hidden; PATIENT_DELETED is announced. */
  async delete(id: string, requestId: string): Promise<void> {
    const patient = await this.patients.delete(id, announce('PATIENT_DELETED', requestId));
    if (!patient) throw new PatientNotFoundError(id);
    await this.cache.putDeleted(id, patient.version);
  }

  /**
   * Brings a deleted patient back. Announced as PATIENT_CREATED: the contract has no restore
   * event, and consumers (analytics totals, appointments' directory) must count the patient as
   * present again. Restoring a patient that is not deleted changes and announces nothing.
   * PatientEmailTakenError when another patient now has its email.
   */
  async restore(id: string, requestId: string): Promise<Patient> {
    const result = await this.patients.restore(id, announce('PATIENT_CREATED', requestId));
    if (!result) throw new PatientNotFoundError(id);
    if (result.restored) await this.cache.put(result.patient);
    return result.patient;
  }

  /**
   * A registration's records: PATIENT_CREATED and the billing-account request, which the gRPC
   * call below withdraws once billing confirms (and the relay publishes otherwise).
   */
  private registered(requestId: string): PatientEventsFor {
    return (patient) => [
      patientEvent('PATIENT_CREATED', patient, requestId),
      this.billing.accountRequest({ patientId: patient.id, name: patient.name, email: patient.email }, requestId),
    ];
  }

  private async openBillingAccount(patient: Patient, requestId: string): Promise<void> {
    try {
      await this.billing.openAccount({ patientId: patient.id, name: patient.name, email: patient.email }, requestId);
    } catch (error) {
      // The id and status code only: nothing that could carry the patient's name or email.
      const { code } = error as { code?: unknown };
      this.logger.warn({ patientId: patient.id, grpcCode: code }, 'Billing account could not be opened');
    }
  }
}
