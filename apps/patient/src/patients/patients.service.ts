import { Injectable, Logger } from '@nestjs/common';
import { BillingClient } from '../billing/billing.client';
import { Patient, PatientDetails, PatientListQuery, PatientPage } from './patient.entity';
import { PatientNotFoundError } from './patient.errors';
import { PatientEventsPublisher } from './patient-events.publisher';
import { PatientsRepository } from './patients.repository';

export type PatientChanges = Omit<PatientDetails, 'registeredDate'> & { registeredDate?: string };

/**
 * The rules of patient records. Every change is announced on Kafka; a new patient also gets a
 * billing account. Neither billing nor Kafka being down fails a change already saved.
 */
@Injectable()
export class PatientsService {
  private readonly logger = new Logger(PatientsService.name);

  constructor(
    private readonly patients: PatientsRepository,
    private readonly billing: BillingClient,
    private readonly events: PatientEventsPublisher,
  ) {}

  list(query: PatientListQuery): Promise<PatientPage> {
    return this.patients.list(query);
  }

  async get(id: string): Promise<Patient> {
    const patient = await this.patients.findById(id);
    if (!patient) throw new PatientNotFoundError(id);
    return patient;
  }

  /** Throws PatientEmailTakenError when the email is taken in any case. */
  async create(details: PatientDetails, requestId: string): Promise<Patient> {
    const patient = await this.patients.insert(details);
    await this.announceNewPatient(patient, requestId);
    return patient;
  }

  /**
   * Adds a patient with a fixed id unless it (or its email) exists, and announces it like a new
   * one; false when it was already there. For demo data, so restarts change nothing.
   */
  async createIfAbsent(id: string, details: PatientDetails, requestId: string): Promise<boolean> {
    const patient = await this.patients.insertIfAbsent(id, details);
    if (!patient) return false;
    await this.announceNewPatient(patient, requestId);
    return true;
  }

  async update(id: string, changes: PatientChanges, requestId: string): Promise<Patient> {
    const patient = await this.patients.update(id, changes);
    if (!patient) throw new PatientNotFoundError(id);
    await this.events.publish('PATIENT_UPDATED', patient, requestId);
    return patient;
  }

  async delete(id: string, requestId: string): Promise<void> {
    const patient = await this.patients.delete(id);
    if (!patient) throw new PatientNotFoundError(id);
    await this.events.publish('PATIENT_DELETED', patient, requestId);
  }

  private async announceNewPatient(patient: Patient, requestId: string): Promise<void> {
    await this.openBillingAccount(patient, requestId);
    await this.events.publish('PATIENT_CREATED', patient, requestId);
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
