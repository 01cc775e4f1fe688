import { EventCodec, EventEnvelope } from './event-codec';

export const BillingEventTypes = ['INVOICE_ISSUED', 'PAYMENT_RECEIVED'] as const;
export type BillingEventType = (typeof BillingEventTypes)[number];

/** `billing.events.BillingEvent` (proto/billing_event.proto); amounts in integer minor units. */
export interface BillingEvent extends EventEnvelope<BillingEventType> {
  invoice_id: string;
  account_id: string;
  patient_id: string;
  appointment_id: string;
  amount_minor: number;
  currency: string;
  invoice_total_minor: number;
  invoice_paid_minor: number;
  payment_id: string;
}

const codec = new EventCodec<BillingEvent>('billing_event.proto', 'billing.events.BillingEvent');

export const encodeBillingEvent = (event: BillingEvent): Buffer => codec.encode(event);
export const decodeBillingEvent = (bytes: Buffer): BillingEvent =>
  codec.decodeChecked(bytes, { article: 'a', name: 'BillingEvent', eventTypes: BillingEventTypes, required: ['invoice_id', 'event_id'] });
