import { Injectable } from '@nestjs/common';
import { Topics, decodePatientEvent } from '@pm/contracts';
import { route } from '@pm/kafka';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { UnusableEventError } from '../events/unusable-event.error';
import { PatientStatsService } from './patient-stats.service';

/** `patient` topic → PatientStatsService. Decodes and translates only. */
@Injectable()
export class PatientEventsHandler implements TopicEventHandler {
  readonly route = route({
    topic: Topics.patient,
    decode: decodePatientEvent,
    apply: (event, position) => this.stats.apply(event, position),
    invalidErrors: [UnusableEventError],
  });

  constructor(private readonly stats: PatientStatsService) {}
}
