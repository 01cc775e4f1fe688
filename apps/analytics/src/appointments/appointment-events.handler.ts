import { Injectable } from '@nestjs/common';
import { Topics, decodeAppointmentEvent } from '@pm/contracts';
import type { ConsumedMessage } from '@pm/kafka';
import type { ApplyOutcome } from '../events/event-position';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { AppointmentStatsService } from './appointment-stats.service';

/** `appointment` topic → AppointmentStatsService. Decodes and translates only. */
@Injectable()
export class AppointmentEventsHandler implements TopicEventHandler {
  readonly topic = Topics.appointment;

  constructor(private readonly stats: AppointmentStatsService) {}

  handle(message: ConsumedMessage): Promise<ApplyOutcome> {
    const event = decodeAppointmentEvent(message.value ?? Buffer.alloc(0));
    return this.stats.apply(event, {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    });
  }
}
