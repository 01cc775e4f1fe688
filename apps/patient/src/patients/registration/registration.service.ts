import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, Transaction, Transactions, safeErrorSummary } from '@pm/platform';
import { Topics } from '@pm/contracts';
import type { OutboxEvent } from '@pm/outbox';
import { randomUUID } from 'node:crypto';
import { BillingClient } from '../../billing/billing.client';
import type { PatientConfig } from '../../config/patient.config';
import { Patient, PatientDetails } from '../shared/patient.entity';
import { IdempotencyKeyReusedError, PatientLikelyDuplicateError, PatientNotFoundError } from '../shared/patient.errors';
import { PatientEventsPublisher, patientEvent } from '../shared/patient-events.publisher';
import { billingAccountRequest } from './billing-account-request';
import { RegistrationRequest, requestFingerprint } from './dto/registration-request';
import { RegistrationRepository } from './registration.repository';

/** Who asks for a registration: the caller (whose idempotency keys are their own) and the request. */
export interface Registrant {
  actorId: string;
  requestId: string;
}

/**
 * The rules of registering patients. A registration commits the patient, its PATIENT_CREATED
 * event and its billing-account request together (outbox, one transaction), so no crash can lose
 * the account; then billing is asked over gRPC and, once it confirms, the request is withdrawn.
 * Neither billing nor Kafka being down fails a registration.
 */
@Injectable()
export class RegistrationService {
  private readonly logger = new Logger(RegistrationService.name);
  private readonly accountRequestHoldMs: number;

  constructor(
    private readonly registrations: RegistrationRepository,
    private readonly events: PatientEventsPublisher,
    private readonly transactions: Transactions,
    private readonly billing: BillingClient,
    @Inject(APP_CONFIG) config: Pick<PatientConfig, 'BILLING_ACCOUNT_QUEUE_AFTER_MS'>,
  ) {
    this.accountRequestHoldMs = config.BILLING_ACCOUNT_QUEUE_AFTER_MS;
  }

  /** A create as the route takes it: replayed under an Idempotency-Key, a plain one otherwise. */
  register(request: RegistrationRequest, registrant: Registrant): Promise<Patient> {
    return request.idempotencyKey
      ? this.createOnce(request.details, registrant.requestId, { actorId: registrant.actorId, key: request.idempotencyKey }, request.confirmDuplicate)
      : this.create(request.details, registrant.requestId, request.confirmDuplicate);
  }

  /**
   * Throws PatientEmailTakenError when the email is taken in any case, and, unless
   * `confirmDuplicate`, PatientLikelyDuplicateError when a live patient has the same birth date
   * and a similar name (checked in the insert's transaction, so two simultaneous creates of one
   * person cannot both pass).
   */
  async create(details: PatientDetails, requestId: string, confirmDuplicate = false): Promise<Patient> {
    const patient = await this.transactions.run((tx) => this.insertNew(randomUUID(), details, requestId, confirmDuplicate, tx));
    await this.openBillingAccount(patient, requestId);
    return patient;
  }

  /**
   * A create that a retry with the same caller and key repeats: the first result comes back and
   * no second patient (or billing account) is made. IdempotencyKeyReusedError for other details;
   * PatientNotFoundError when the first result is gone. A key older than IDEMPOTENCY_KEY_TTL_HOURS
   * is forgotten: the create is a new one.
   */
  async createOnce(
    details: PatientDetails,
    requestId: string,
    idempotency: { actorId: string; key: string },
    confirmDuplicate = false,
  ): Promise<Patient> {
    const fingerprint = requestFingerprint(details);
    const { patient, replayed } = await this.transactions.run(async (tx) => {
      const id = randomUUID();
      // The key is claimed first: a simultaneous retry waits for this transaction, then replays it.
      const first = await this.registrations.claimIdempotencyKey({ ...idempotency, fingerprint }, id, tx);
      if (first) {
        if (first.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        const earlier = await this.registrations.findLive(first.patientId, tx);
        if (!earlier) throw new PatientNotFoundError(first.patientId);
        return { patient: earlier, replayed: true };
      }
      // Checked after the claim, so a replay answers its first result; a refusal frees the key.
      return { patient: await this.insertNew(id, details, requestId, confirmDuplicate, tx), replayed: false };
    });
    if (!replayed) await this.openBillingAccount(patient, requestId);
    return patient;
  }

  /**
   * Adds a patient with a fixed id unless it (or its email) exists, and announces it like a new
   * one; false when it was already there. For demo data, so restarts change nothing.
   */
  async createIfAbsent(id: string, details: PatientDetails, requestId: string): Promise<boolean> {
    const patient = await this.transactions.run(async (tx) => {
      const added = await this.registrations.insertIfAbsent(id, details, tx);
      if (added) await this.events.record(this.registered(added, requestId), tx);
      return added;
    });
    if (!patient) return false;
    await this.openBillingAccount(patient, requestId);
    return true;
  }

  private async insertNew(id: string, details: PatientDetails, requestId: string, confirmDuplicate: boolean, tx: Transaction): Promise<Patient> {
    if (!confirmDuplicate) {
      const candidates = await this.registrations.likelyDuplicatesOf(details, tx);
      if (candidates.length > 0) throw new PatientLikelyDuplicateError(candidates);
    }
    const patient = await this.registrations.insert(id, details, tx);
    await this.events.record(this.registered(patient, requestId), tx);
    return patient;
  }

  /**
   * A registration's events: PATIENT_CREATED and the billing-account request, which
   * openBillingAccount withdraws once billing confirms (and the relay publishes otherwise).
   */
  private registered(patient: Patient, requestId: string): OutboxEvent[] {
    return [patientEvent('PATIENT_CREATED', patient, requestId), billingAccountRequest(patient, requestId, this.accountRequestHoldMs)];
  }

  private async openBillingAccount(patient: Patient, requestId: string): Promise<void> {
    try {
      const outcome = await this.billing.openAccount({ patientId: patient.id, name: patient.name, email: patient.email }, requestId);
      if (!outcome.opened) return;
    } catch (error) {
      // The id and status code only: nothing that could carry the patient's name or email.
      const { code } = error as { code?: unknown };
      this.logger.warn({ patientId: patient.id, grpcCode: code }, 'Billing account could not be opened');
      return;
    }
    try {
      await this.events.withdrawHeld(Topics.billingAccount, patient.id);
    } catch (error) {
      // Harmless: the request is published later and billing, finding the account, opens no other.
      this.logger.warn({ patientId: patient.id, error: safeErrorSummary(error) }, 'Confirmed billing request not withdrawn');
    }
  }
}
