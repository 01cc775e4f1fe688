import { messageType } from './proto-files';

/** `audit.events.AuditDenialEvent` (proto/audit_denial_event.proto): a refusal the gateway decided. */
export interface AuditDenialEvent {
  event_id: string;
  /** Epoch milliseconds. */
  occurred_at: number;
  /** Empty when no valid token named the caller. */
  actor_id: string;
  actor_role: string;
  action: string;
  /** Empty when the path names no patient. */
  patient_id: string;
  request_id: string;
  source_ip: string;
  status: number;
}

const type = () => messageType('audit_denial_event.proto', 'audit.events.AuditDenialEvent');

export function encodeAuditDenialEvent(event: AuditDenialEvent): Buffer {
  const t = type();
  return Buffer.from(t.encode(t.fromObject(event)).finish());
}

export function decodeAuditDenialEvent(bytes: Buffer): AuditDenialEvent {
  const t = type();
  return t.toObject(t.decode(bytes), { longs: Number, defaults: true }) as AuditDenialEvent;
}
