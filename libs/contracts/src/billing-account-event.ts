import { EventCodec, EventEnvelope } from './event-codec';

/** `billing.events.BillingAccountEvent` (proto/billing_account_event.proto). */
export interface BillingAccountEvent extends EventEnvelope {
  patientId: string;
  name: string;
  email: string;
}

const codec = new EventCodec<BillingAccountEvent>('billing_account_event.proto', 'billing.events.BillingAccountEvent');

export const encodeBillingAccountEvent = (event: BillingAccountEvent): Buffer => codec.encode(event);
export const decodeBillingAccountEvent = (bytes: Buffer): BillingAccountEvent => codec.decode(bytes);
