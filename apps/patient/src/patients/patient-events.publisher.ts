import { Injectable, Logger } from '@nestjs/common';
import { PatientEventType, Topics, encodePatientEvent } from '@pm/contracts';
import { EventPublisher } from '@pm/kafka';
import { REQUEST_ID_HEADER } from '@pm/logging';
import { randomUUID } from 'node:crypto';
import type { Patient } from './patient.entity';

/** How long a request waits for Kafka before answering anyway; the send goes on in the background. */
export const PUBLISH_WAIT_MS = 2000;

/**
 * Turns patient changes into `patient` events (compat), keyed by the patient id. The one place
 * patient events are produced; a failure is logged and never fails the caller's change.
 */
@Injectable()
export class PatientEventsPublisher {
  private readonly logger = new Logger(PatientEventsPublisher.name);

  constructor(private readonly publisher: EventPublisher) {}

  async publish(eventType: PatientEventType, patient: Pick<Patient, 'id' | 'name' | 'email'>, requestId: string): Promise<void> {
    const eventId = randomUUID();
    const sent = this.publisher
      .publish([
        {
          topic: Topics.patient,
          key: patient.id,
          value: encodePatientEvent({
            patientId: patient.id,
            name: patient.name,
            email: patient.email,
            event_type: eventType,
            event_id: eventId,
            occurred_at: Date.now(),
          }),
          headers: { [REQUEST_ID_HEADER]: requestId },
        },
      ])
      .then(
        () => true,
        (error: unknown) => {
          this.logger.warn({ patientId: patient.id, eventType, eventId, reason: (error as Error).message }, 'Patient event was not published');
          return true;
        },
      );
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PUBLISH_WAIT_MS)));
    const finished = await Promise.race([sent, waited]);
    clearTimeout(timer);
    if (!finished) this.logger.warn({ patientId: patient.id, eventType, eventId }, 'Kafka is slow; the patient event is still being sent');
  }
}
