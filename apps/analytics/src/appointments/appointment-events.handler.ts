import { Injectable } from '@nestjs/common';
import { Topics, decodeAppointmentEvent } from '@pm/contracts';
import { statsRoute, type TopicEventHandler } from '../events/topic-event.handler';
import { AppointmentStatsService } from './appointment-stats.service';

/** `appointment` topic → AppointmentStatsService. Decodes and translates only. */
@Injectable()
export class AppointmentEventsHandler implements TopicEventHandler {
  readonly route = statsRoute(Topics.appointment, decodeAppointmentEvent, (event, position) => this.stats.apply(event, position));

  constructor(private readonly stats: AppointmentStatsService) {}
}
