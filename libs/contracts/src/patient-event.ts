import { messageType } from './proto-files';

export const PatientEventTypes = ['PATIENT_CREATED', 'PATIENT_UPDATED', 'PATIENT_DELETED'] as const;
export type PatientEventType = (typeof PatientEventTypes)[number];

/** `patient.events.PatientEvent` (proto/patient_event.proto). */
export interface PatientEvent {
  patientId: string;
  name: string;
  email: string;
  event_type: PatientEventType;
  event_id: string;
  /** Epoch milliseconds. */
  occurred_at: number;
}

const type = () => messageType('patient_event.proto', 'patient.events.PatientEvent');

export function encodePatientEvent(event: PatientEvent): Buffer {
  const t = type();
  return Buffer.from(t.encode(t.fromObject(event)).finish());
}

export class UndecodableEventError extends Error {}

/** Decodes and checks a PatientEvent; events from older producers may lack id and time. */
export function decodePatientEvent(bytes: Buffer): PatientEvent {
  let raw: Record<string, unknown>;
  try {
    raw = type().toObject(type().decode(bytes), { longs: Number, defaults: true });
  } catch (error) {
    throw new UndecodableEventError(`Not a PatientEvent: ${(error as Error).message}`);
  }
  const eventType = raw.event_type as PatientEventType;
  if (!PatientEventTypes.includes(eventType)) {
    throw new UndecodableEventError(`Unknown PatientEvent event_type "${String(raw.event_type)}"`);
  }
  if (!raw.patientId) throw new UndecodableEventError('PatientEvent without patientId');
  return {
    patientId: String(raw.patientId),
    name: String(raw.name ?? ''),
    email: String(raw.email ?? ''),
    event_type: eventType,
    event_id: String(raw.event_id ?? ''),
    occurred_at: Number(raw.occurred_at ?? 0),
  };
}
