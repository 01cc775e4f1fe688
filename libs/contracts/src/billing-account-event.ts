import { messageType } from './proto-files';

/** `billing.events.BillingAccountEvent` (proto/billing_account_event.proto). */
export interface BillingAccountEvent {
  patientId: string;
  name: string;
  email: string;
  event_type: string;
  event_id: string;
  occurred_at: number;
}

const type = () => messageType('billing_account_event.proto', 'billing.events.BillingAccountEvent');

export function encodeBillingAccountEvent(event: BillingAccountEvent): Buffer {
  const t = type();
  return Buffer.from(t.encode(t.fromObject(event)).finish());
}

export function decodeBillingAccountEvent(bytes: Buffer): BillingAccountEvent {
  const t = type();
  return t.toObject(t.decode(bytes), { longs: Number, defaults: true }) as BillingAccountEvent;
}
