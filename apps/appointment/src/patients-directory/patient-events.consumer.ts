import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { Topics, decodePatientEvent } from '@pm/contracts';
import { DeadLetterPublisher, KafkaConsumerRunner, TopicConsumer, route } from '@pm/kafka';
import type { AppointmentConfig } from '../config/appointment.config';
import { PatientsDirectoryService } from './patients-directory.service';

/** Feeds the `patient` topic into the patient directory; a patientId that is no UUID is dead-lettered. */
@Injectable()
export class PatientEventsConsumer extends TopicConsumer {
  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly directory: PatientsDirectoryService,
    @Inject(APP_CONFIG) config: Pick<AppointmentConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {
    super(runner, deadLetters, { groupId: config.KAFKA_CONSUMER_GROUP, deadLetterTopic: Topics.appointmentDeadLetter });
  }

  protected routes() {
    return [
      route({ topic: Topics.patient, decode: decodePatientEvent, apply: (event) => this.directory.apply(event), invalidOutcomes: ['invalid'] }),
    ];
  }
}
