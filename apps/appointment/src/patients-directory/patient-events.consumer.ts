import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { Topics, UndecodableEventError, decodePatientEvent } from '@pm/contracts';
import { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import { metricsRegistry } from '@pm/observability';
import { Counter } from 'prom-client';
import type { AppointmentConfig } from '../config/appointment.config';
import { PatientsDirectoryService } from './patients-directory.service';

const patientEventsConsumed = new Counter({
  name: 'appointment_patient_events_total',
  help: 'Patient events read from Kafka by outcome (applied, unchanged, stale, invalid, undecodable)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Feeds the `patient` topic into the patient directory; only decodes and hands over. */
@Injectable()
export class PatientEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(PatientEventsConsumer.name);

  constructor(
    private readonly runner: KafkaConsumerRunner,
    private readonly directory: PatientsDirectoryService,
    @Inject(APP_CONFIG) private readonly config: AppointmentConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start({
      groupId: this.config.KAFKA_CONSUMER_GROUP,
      topics: [Topics.patient],
      fromBeginning: true,
      handle: (message) => this.handle(message),
    });
  }

  /** Errors other than a bad message propagate, so Kafka redelivers once the database is back. */
  async handle(message: ConsumedMessage): Promise<void> {
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    let event;
    try {
      event = decodePatientEvent(message.value ?? Buffer.alloc(0));
    } catch (error) {
      if (!(error instanceof UndecodableEventError)) throw error;
      // Never the payload: it may hold a name or an email.
      this.logger.warn(where, 'Skipping an undecodable patient event');
      patientEventsConsumed.inc({ outcome: 'undecodable' });
      return;
    }
    const outcome = await this.directory.apply(event);
    if (outcome === 'invalid') this.logger.warn(where, 'Skipping a patient event whose patientId is not a UUID');
    patientEventsConsumed.inc({ outcome });
  }
}
