import { PatientEventType, Topics, encodePatientEvent } from '@pm/contracts';
import type { OutgoingEvent } from '@pm/kafka';
import { REQUEST_ID_HEADER } from '@pm/logging';
import type { OutboxEvent } from '@pm/outbox';
import { randomUUID } from 'node:crypto';
import type { Patient } from './patient.entity';

/** What a change records in the outbox, given the patient as the change left it. */
export type PatientEventsFor = (patient: Patient) => OutboxEvent[];

/**
 * A `patient` event (compat), keyed by the patient id so Kafka keeps each patient's events in
 * order. The one place patient events are made; the outbox relay publishes them after commit.
 */
export function patientEvent(eventType: PatientEventType, patient: Pick<Patient, 'id' | 'name' | 'email'>, requestId: string): OutgoingEvent {
  return {
    topic: Topics.patient,
    key: patient.id,
    value: encodePatientEvent({
      patientId: patient.id,
      name: patient.name,
      email: patient.email,
      event_type: eventType,
      event_id: randomUUID(),
      occurred_at: Date.now(),
    }),
    headers: { [REQUEST_ID_HEADER]: requestId },
  };
}

/** The events of one change: `eventType` for the patient it saved. */
export function announce(eventType: PatientEventType, requestId: string): PatientEventsFor {
  return (patient) => [patientEvent(eventType, patient, requestId)];
}
