import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { UndecodableEventError } from '@pm/contracts';
import { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import type { AnalyticsConfig } from '../config/analytics.config';
import { AppointmentEventsHandler } from '../appointments/appointment-events.handler';
import { PatientEventsHandler } from '../patients/patient-events.handler';
import { BillingEventsHandler } from '../revenue/billing-events.handler';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { consumedEvents, undecodableEvents } from './event-metrics';
import type { TopicEventHandler } from './topic-event.handler';
import { UnusableEventError } from './unusable-event.error';

/**
 * The one consumer group of analytics: reads every topic from the beginning (a new group
 * rebuilds the aggregates from history) and hands each message to its topic's handler.
 */
@Injectable()
export class AnalyticsEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalyticsEventsConsumer.name);
  private readonly handlers: ReadonlyMap<string, TopicEventHandler>;

  constructor(
    private readonly runner: KafkaConsumerRunner,
    @Inject(APP_CONFIG) private readonly config: Pick<AnalyticsConfig, 'KAFKA_CONSUMER_GROUP'>,
    private readonly deadLetters: DeadLetterPublisher,
    patientEvents: PatientEventsHandler,
    appointmentEvents: AppointmentEventsHandler,
    billingEvents: BillingEventsHandler,
  ) {
    this.handlers = new Map([patientEvents, appointmentEvents, billingEvents].map((handler) => [handler.topic, handler]));
  }

  onApplicationBootstrap(): void {
    this.runner.start({
      groupId: this.config.KAFKA_CONSUMER_GROUP,
      topics: [...this.handlers.keys()],
      fromBeginning: true,
      handle: (message) => this.consume(message),
    });
  }

  /**
   * Applies one message. A message that can never be applied goes to the dead-letter topic and is
   * logged (its place, never its payload); consumption moves on only once the broker took it.
   * Any other failure is thrown so Kafka delivers the message again.
   */
  async consume(message: ConsumedMessage): Promise<void> {
    const { topic, partition, offset } = message;
    const handler = this.handlers.get(topic);
    if (!handler) {
      this.logger.warn({ topic, partition, offset }, 'No handler for the topic; message skipped');
      return;
    }
    try {
      const outcome = await handler.handle(message);
      consumedEvents.inc({ topic, outcome });
    } catch (error) {
      if (!(error instanceof UndecodableEventError) && !(error instanceof UnusableEventError)) throw error;
      const reason = error instanceof UnusableEventError ? `unusable ${error.field}` : 'undecodable';
      // Throws when Kafka refuses it: then this message is delivered again, nothing is lost.
      await this.deadLetters.publish(message, `${reason}: ${error.message}`);
      undecodableEvents.inc({ topic });
      this.logger.warn({ topic, partition, offset, reason }, 'Sent an event that cannot be applied to the dead-letter topic');
    }
  }
}
