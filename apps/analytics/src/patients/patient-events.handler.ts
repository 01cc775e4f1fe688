import { Injectable } from '@nestjs/common';
import { Topics, decodePatientEvent } from '@pm/contracts';
import { statsRoute, type TopicEventHandler } from '../events/topic-event.handler';
import { PatientStatsService } from './patient-stats.service';

/** `patient` topic → PatientStatsService. Decodes and translates only. */
@Injectable()
export class PatientEventsHandler implements TopicEventHandler {
  readonly route = statsRoute(Topics.patient, decodePatientEvent, (event, position) => this.stats.apply(event, position));

  constructor(private readonly stats: PatientStatsService) {}
}
