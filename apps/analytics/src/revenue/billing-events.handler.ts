import { Injectable } from '@nestjs/common';
import { Topics, decodeBillingEvent } from '@pm/contracts';
import { statsRoute, type TopicEventHandler } from '../events/topic-event.handler';
import { RevenueService } from './revenue.service';

/** `billing` topic → RevenueService. Decodes and translates only. */
@Injectable()
export class BillingEventsHandler implements TopicEventHandler {
  readonly route = statsRoute(Topics.billing, decodeBillingEvent, (event, position) => this.revenue.apply(event, position));

  constructor(private readonly revenue: RevenueService) {}
}
