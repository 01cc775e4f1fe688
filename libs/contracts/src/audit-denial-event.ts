import { EventCodec, EventEnvelope } from './event-codec';

/** `audit.events.AuditDenialEvent` (proto/audit_denial_event.proto): a refusal the gateway decided. */
export interface AuditDenialEvent extends Omit<EventEnvelope, 'event_type'> {
  /** Empty when no valid token named the caller. */
  actor_id: string;
  actor_role: string;
  action: string;
  /** Empty when the path names no patient. */
  patient_id: string;
  request_id: string;
  source_ip: string;
  status: number;
  /** The kind of clinical entry (`allergies`...), `record` for the chart; empty for the patient record itself. */
  entry_kind: string;
}

const codec = new EventCodec<AuditDenialEvent>('audit_denial_event.proto', 'audit.events.AuditDenialEvent');

export const encodeAuditDenialEvent = (event: AuditDenialEvent): Buffer => codec.encode(event);
export const decodeAuditDenialEvent = (bytes: Buffer): AuditDenialEvent => codec.decode(bytes);
