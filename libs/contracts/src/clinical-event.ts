import { EventCodec, EventEnvelope } from './event-codec';

export const ClinicalEventTypes = ['VISIT_DOCUMENTED'] as const;
export type ClinicalEventType = (typeof ClinicalEventTypes)[number];

/** `clinical.events.ClinicalEvent` (proto/clinical_event.proto): ids only, never clinical text. */
export interface ClinicalEvent extends EventEnvelope<ClinicalEventType> {
  appointment_id: string;
  patient_id: string;
  note_id: string;
}

const codec = new EventCodec<ClinicalEvent>('clinical_event.proto', 'clinical.events.ClinicalEvent');

export const encodeClinicalEvent = (event: ClinicalEvent): Buffer => codec.encode(event);
export const decodeClinicalEvent = (bytes: Buffer): ClinicalEvent =>
  codec.decodeChecked(bytes, { article: 'a', name: 'ClinicalEvent', eventTypes: ClinicalEventTypes, required: ['event_id', 'appointment_id', 'patient_id', 'note_id'] });
