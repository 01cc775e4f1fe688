import { type ClinicalEvent } from '@pm/contracts';
import { randomUUID } from 'node:crypto';
import type { ClinicalEntry } from './clinical-entry';

/**
 * "A note on an appointment marks that visit documented": the VISIT_DOCUMENTED event of a note
 * that names an appointment, none for any other entry. Ids and a time only; the note's text stays
 * here, encrypted.
 */
export function visitDocumentedEvents(entry: ClinicalEntry): ClinicalEvent[] {
  const appointmentId = entry.details.appointmentId;
  if (entry.kind !== 'notes' || typeof appointmentId !== 'string') return [];
  return [
    {
      event_id: randomUUID(),
      event_type: 'VISIT_DOCUMENTED',
      // UUIDs compare as text downstream: one spelling of the id.
      appointment_id: appointmentId.toLowerCase(),
      patient_id: entry.patientId,
      note_id: entry.id,
      occurred_at: entry.recordedAt.getTime(),
    },
  ];
}
