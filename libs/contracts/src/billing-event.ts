import { messageType } from './proto-files';
import { UndecodableEventError } from './patient-event';

export const BillingEventTypes = ['INVOICE_ISSUED', 'PAYMENT_RECEIVED'] as const;
export type BillingEventType = (typeof BillingEventTypes)[number];

/** `billing.events.BillingEvent` (proto/billing_event.proto); amounts in integer minor units. */
export interface BillingEvent {
  event_id: string;
  event_type: BillingEventType;
  invoice_id: string;
  account_id: string;
  patient_id: string;
  appointment_id: string;
  amount_minor: number;
  currency: string;
  invoice_total_minor: number;
  invoice_paid_minor: number;
  occurred_at: number;
  payment_id: string;
}

const type = () => messageType('billing_event.proto', 'billing.events.BillingEvent');

export function encodeBillingEvent(event: BillingEvent): Buffer {
  const t = type();
  return Buffer.from(t.encode(t.fromObject(event)).finish());
}

export function decodeBillingEvent(bytes: Buffer): BillingEvent {
  let raw: Record<string, unknown>;
  try {
    raw = type().toObject(type().decode(bytes), { longs: Number, defaults: true });
  } catch (error) {
    throw new UndecodableEventError(`Not a BillingEvent: ${(error as Error).message}`);
  }
  if (!BillingEventTypes.includes(raw.event_type as BillingEventType)) {
    throw new UndecodableEventError(`Unknown BillingEvent event_type "${String(raw.event_type)}"`);
  }
  if (!raw.invoice_id || !raw.event_id) throw new UndecodableEventError('BillingEvent without invoice_id or event_id');
  return raw as unknown as BillingEvent;
}
