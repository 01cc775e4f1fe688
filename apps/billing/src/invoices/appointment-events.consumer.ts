import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { Topics, UndecodableEventError, decodeAppointmentEvent } from '@pm/contracts';
import { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import { metricsRegistry } from '@pm/observability';
import { Counter } from 'prom-client';
import type { BillingConfig } from '../config/billing.config';
import { InvoicesService } from './invoices.service';

const appointmentEventsConsumed = new Counter({
  name: 'billing_appointment_events_total',
  help: 'Appointment events read from Kafka by outcome (issued, already-invoiced, ignored, invalid, currency-mismatch, undecodable)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Feeds the `appointment` topic to invoicing; only decodes and hands over. */
@Injectable()
export class AppointmentEventsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AppointmentEventsConsumer.name);

  constructor(
    private readonly runner: KafkaConsumerRunner,
    private readonly invoices: InvoicesService,
    @Inject(APP_CONFIG) private readonly config: BillingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start({
      groupId: this.config.KAFKA_CONSUMER_GROUP,
      topics: [Topics.appointment],
      fromBeginning: true,
      handle: (message) => this.handle(message),
    });
  }

  /** Errors other than a bad message propagate, so Kafka redelivers once the database is back. */
  async handle(message: ConsumedMessage): Promise<void> {
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    let event;
    try {
      event = decodeAppointmentEvent(message.value ?? Buffer.alloc(0));
    } catch (error) {
      if (!(error instanceof UndecodableEventError)) throw error;
      // Never the payload: it is not ours to interpret, and may hold patient data.
      this.logger.warn(where, 'Skipping an undecodable appointment event');
      appointmentEventsConsumed.inc({ outcome: 'undecodable' });
      return;
    }
    const outcome = await this.invoices.invoiceAppointment(event);
    if (outcome === 'invalid') this.logger.warn(where, 'Skipping an appointment event whose ids are not UUIDs');
    if (outcome === 'currency-mismatch') {
      this.logger.warn({ ...where, appointmentId: event.appointment_id }, "Not invoicing: the account's balance is in another currency");
    }
    if (outcome === 'issued') this.logger.log({ appointmentId: event.appointment_id }, 'Invoice issued for a completed appointment');
    appointmentEventsConsumed.inc({ outcome });
  }
}
