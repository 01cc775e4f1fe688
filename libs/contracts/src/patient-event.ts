import { EventCodec, EventEnvelope } from './event-codec';

export { UndecodableEventError } from './event-codec';

export const PatientEventTypes = ['PATIENT_CREATED', 'PATIENT_UPDATED', 'PATIENT_DELETED'] as const;
export type PatientEventType = (typeof PatientEventTypes)[number];

/** `patient.events.PatientEvent` (proto/patient_event.proto). */
export interface PatientEvent extends EventEnvelope<PatientEventType> {
  patientId: string;
  name: string;
  email: string;
}

const codec = new EventCodec<PatientEvent>('patient_event.proto', 'patient.events.PatientEvent');

export const encodePatientEvent = (event: PatientEvent): Buffer => codec.encode(event);

/** Decodes and checks a PatientEvent; events from older producers may lack id and time. */
export function decodePatientEvent(bytes: Buffer): PatientEvent {
  const event = codec.decodeChecked(bytes, { article: 'a', name: 'PatientEvent', eventTypes: PatientEventTypes, required: ['patientId'] });
  return {
    patientId: String(event.patientId),
    name: String(event.name ?? ''),
    email: String(event.email ?? ''),
    event_type: event.event_type,
    event_id: String(event.event_id ?? ''),
    occurred_at: Number(event.occurred_at ?? 0),
  };
}
