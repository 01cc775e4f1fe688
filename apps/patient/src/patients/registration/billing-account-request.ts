import { Topics, encodeBillingAccountEvent } from '@pm/contracts';
import { REQUEST_ID_HEADER } from '@pm/platform';
import type { OutboxEvent } from '@pm/outbox';
import { randomUUID } from 'node:crypto';
import type { Patient } from '../shared/patient.entity';

/**
 * The account request a registration records in its transaction: published on `billing-account`
 * only if the gRPC call has not confirmed the account (and withdrawn it) within `holdMs`
 * (BILLING_ACCOUNT_QUEUE_AFTER_MS): billing down, or this process died after the commit.
 */
export function billingAccountRequest(patient: Pick<Patient, 'id' | 'name' | 'email'>, requestId: string, holdMs: number): OutboxEvent {
  return {
    topic: Topics.billingAccount,
    key: patient.id,
    value: encodeBillingAccountEvent({
      patientId: patient.id,
      name: patient.name,
      email: patient.email,
      event_type: 'BILLING_ACCOUNT_CREATE_REQUESTED',
      event_id: randomUUID(),
      occurred_at: Date.now(),
    }),
    headers: { [REQUEST_ID_HEADER]: requestId },
    holdMs,
  };
}
