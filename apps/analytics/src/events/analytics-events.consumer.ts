import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { Topics } from '@pm/contracts';
import { DEAD_LETTERED, DeadLetterPublisher, KafkaConsumerRunner, TopicConsumer } from '@pm/kafka';
import type { AnalyticsConfig } from '../config/analytics.config';
import { AppointmentEventsHandler } from '../appointments/appointment-events.handler';
import { PatientEventsHandler } from '../patients/patient-events.handler';
import { BillingEventsHandler } from '../revenue/billing-events.handler';
import { consumedEvents, undecodableEvents } from './event-metrics';

/**
 * The one consumer group of analytics: reads every topic from the beginning (a new group
 * rebuilds the aggregates from history) and hands each message to its topic's handler.
 */
@Injectable()
export class AnalyticsEventsConsumer extends TopicConsumer {
  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    @Inject(APP_CONFIG) config: Pick<AnalyticsConfig, 'KAFKA_CONSUMER_GROUP'>,
    private readonly patientEvents: PatientEventsHandler,
    private readonly appointmentEvents: AppointmentEventsHandler,
    private readonly billingEvents: BillingEventsHandler,
  ) {
    super(runner, deadLetters, { groupId: config.KAFKA_CONSUMER_GROUP, deadLetterTopic: Topics.analyticsDeadLetter });
  }

  protected routes() {
    return [this.patientEvents.route, this.appointmentEvents.route, this.billingEvents.route];
  }

  // Analytics' own counters predate the shared one; dashboards and tests read them.
  protected override consumed(topic: string, outcome: string): void {
    if (outcome === DEAD_LETTERED) undecodableEvents.inc({ topic });
    else consumedEvents.inc({ topic, outcome });
  }
}
