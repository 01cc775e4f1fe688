import { Injectable } from '@nestjs/common';
import { Topics, decodePatientEvent } from '@pm/contracts';
import type { ConsumedMessage } from '@pm/kafka';
import type { ApplyOutcome } from '../events/event-position';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { PatientStatsService } from './patient-stats.service';

/** `patient` topic → PatientStatsService. Decodes and translates only. */
@Injectable()
export class PatientEventsHandler implements TopicEventHandler {
  readonly topic = Topics.patient;

  constructor(private readonly stats: PatientStatsService) {}

  handle(message: ConsumedMessage): Promise<ApplyOutcome> {
    // A tombstone (null value) decodes to an empty event and is refused as undecodable.
    const event = decodePatientEvent(message.value ?? Buffer.alloc(0));
    return this.stats.apply(event, {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    });
  }
}
