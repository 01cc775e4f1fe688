import { Injectable } from '@nestjs/common';
import { Topics, decodeAppointmentEvent } from '@pm/contracts';
import { route } from '@pm/kafka';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { UnusableEventError } from '../events/unusable-event.error';
import { AppointmentStatsService } from './appointment-stats.service';

/** `appointment` topic → AppointmentStatsService. Decodes and translates only. */
@Injectable()
export class AppointmentEventsHandler implements TopicEventHandler {
  readonly route = route({
    topic: Topics.appointment,
    decode: decodeAppointmentEvent,
    apply: (event, position) => this.stats.apply(event, position),
    invalidErrors: [UnusableEventError],
  });

  constructor(private readonly stats: AppointmentStatsService) {}
}
