import { Injectable } from '@nestjs/common';
import { Topics, decodeBillingEvent } from '@pm/contracts';
import type { ConsumedMessage } from '@pm/kafka';
import type { ApplyOutcome } from '../events/event-position';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { RevenueService } from './revenue.service';

/** `billing` topic → RevenueService. Decodes and translates only. */
@Injectable()
export class BillingEventsHandler implements TopicEventHandler {
  readonly topic = Topics.billing;

  constructor(private readonly revenue: RevenueService) {}

  handle(message: ConsumedMessage): Promise<ApplyOutcome> {
    const event = decodeBillingEvent(message.value ?? Buffer.alloc(0));
    return this.revenue.apply(event, {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    });
  }
}
