import { Injectable } from '@nestjs/common';
import { Topics, decodeBillingEvent } from '@pm/contracts';
import { route } from '@pm/kafka';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { UnusableEventError } from '../events/unusable-event.error';
import { RevenueService } from './revenue.service';

/** `billing` topic → RevenueService. Decodes and translates only. */
@Injectable()
export class BillingEventsHandler implements TopicEventHandler {
  readonly route = route({
    topic: Topics.billing,
    decode: decodeBillingEvent,
    apply: (event, position) => this.revenue.apply(event, position),
    invalidErrors: [UnusableEventError],
  });

  constructor(private readonly revenue: RevenueService) {}
}
