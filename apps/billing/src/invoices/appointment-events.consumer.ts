import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { type AppointmentEvent, Topics, decodeAppointmentEvent } from '@pm/contracts';
import { DeadLetterPublisher, KafkaConsumerRunner, type MessageContext, TopicConsumer, route } from '@pm/kafka';
import type { BillingConfig } from '../config/billing.config';
import { InvoicesService } from './invoices.service';

/** Feeds the `appointment` topic to invoicing; an event whose ids are no UUIDs is dead-lettered. */
@Injectable()
export class AppointmentEventsConsumer extends TopicConsumer {
  private readonly log = new Logger(AppointmentEventsConsumer.name);

  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly invoices: InvoicesService,
    @Inject(APP_CONFIG) config: Pick<BillingConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {
    super(runner, deadLetters, { groupId: config.KAFKA_CONSUMER_GROUP, deadLetterTopic: Topics.billingDeadLetter });
  }

  protected routes() {
    return [
      route({ topic: Topics.appointment, decode: decodeAppointmentEvent, apply: (event, at) => this.invoice(event, at), invalidOutcomes: ['invalid'] }),
    ];
  }

  private async invoice(event: AppointmentEvent, { topic, partition, offset }: MessageContext) {
    const outcome = await this.invoices.invoiceAppointment(event);
    if (outcome === 'currency-mismatch') {
      this.log.warn({ topic, partition, offset, appointmentId: event.appointment_id }, "Not invoicing: the account's balance is in another currency");
    }
    if (outcome === 'issued') this.log.log({ appointmentId: event.appointment_id }, 'Invoice issued for a completed appointment');
    return outcome;
  }
}
