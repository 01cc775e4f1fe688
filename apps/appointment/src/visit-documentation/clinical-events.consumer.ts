import { Inject, Injectable } from '@nestjs/common';
import { type ClinicalEvent, Topics, decodeClinicalEvent } from '@pm/contracts';
import { DeadLetterPublisher, KafkaConsumerRunner, TopicConsumer, route } from '@pm/kafka';
import { APP_CONFIG, isUuid } from '@pm/platform';
import type { AppointmentConfig } from '../config/appointment.config';
import { VisitDocumentationService } from './visit-documentation.service';

const ID_FIELDS = ['appointment_id', 'patient_id', 'note_id'] as const;

/** What keeps an event from being applied (an id that is no UUID); undefined when it is usable. */
export function clinicalEventProblem(event: ClinicalEvent): { field: string; message: string } | undefined {
  const field = ID_FIELDS.find((name) => !isUuid(event[name]));
  return field ? { field, message: `${field} must be a UUID` } : undefined;
}

/**
 * The `clinical` topic: visit notes on appointments, which mark them documented. In a group of
 * its own (a group's members must read the same topics); poison goes to appointment-dead-letter.
 */
@Injectable()
export class ClinicalEventsConsumer extends TopicConsumer {
  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly documentation: VisitDocumentationService,
    @Inject(APP_CONFIG) config: Pick<AppointmentConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {
    super(runner, deadLetters, { groupId: `${config.KAFKA_CONSUMER_GROUP}-clinical`, deadLetterTopic: Topics.appointmentDeadLetter });
  }

  protected routes() {
    return [
      route({
        topic: Topics.clinical,
        decode: decodeClinicalEvent,
        validate: clinicalEventProblem,
        apply: (event) => this.documentation.apply(event),
      }),
    ];
  }
}
