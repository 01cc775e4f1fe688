import { Injectable } from '@nestjs/common';
import type { PatientEvent, PatientEventType } from '@pm/contracts';
import { Transactions, isUuid } from '@pm/platform';
import { ApplyOutcome, EventPosition, eventTime, processedEventId, utcDay } from '../events/event-position';
import { UnusableEventError } from '../events/unusable-event.error';
import { AnalyticsUpdates } from '../stream/analytics-updates';
import { PatientRegistryEntry } from './patient-registry-entry.entity';
import { PatientCountKind, PatientStatsRepository, PatientSummary } from './patient-stats.repository';

const countedAs: Record<PatientEventType, PatientCountKind> = {
  PATIENT_CREATED: 'created',
  PATIENT_UPDATED: 'updated',
  PATIENT_DELETED: 'deleted',
};

/**
 * Whether the patient counts in the total after the event. Kept simple on purpose, relying on
 * Kafka keeping one patient's events in order (they share the patient id as key):
 * created → present (so a re-creation after a delete counts again); deleted → not present;
 * updated → unchanged, except that a patient never seen before is registered as present.
 */
function deletedAfter(eventType: PatientEventType, known: PatientRegistryEntry | null): boolean {
  switch (eventType) {
    case 'PATIENT_CREATED':
      return false;
    case 'PATIENT_DELETED':
      return true;
    case 'PATIENT_UPDATED':
      return known?.deleted ?? false;
  }
}

/** Patient counts: each event changes them exactly once, however often Kafka delivers it. */
@Injectable()
export class PatientStatsService {
  constructor(
    private readonly stats: PatientStatsRepository,
    private readonly transactions: Transactions,
    private readonly updates: AnalyticsUpdates,
  ) {}

  async apply(event: PatientEvent, position: EventPosition): Promise<ApplyOutcome> {
    if (!isUuid(event.patientId)) throw new UnusableEventError('patientId', 'patientId must be a UUID');
    const patientId = event.patientId.toLowerCase();
    const eventId = processedEventId(event.event_id, position);
    const occurredAt = eventTime(event.occurred_at, position);

    const day = utcDay(occurredAt);
    const outcome = await this.transactions.run(async (tx): Promise<ApplyOutcome> => {
      if (!(await this.stats.recordProcessed(eventId, position.topic, tx))) return 'duplicate';
      await this.stats.incrementDailyCount(day, countedAs[event.event_type], tx);
      const known = await this.stats.findRegistryEntry(patientId, tx);
      await this.stats.saveRegistryEntry(
        Object.assign(new PatientRegistryEntry(), {
          patientId,
          deleted: deletedAfter(event.event_type, known),
          lastEventAt: known && known.lastEventAt > occurredAt ? known.lastEventAt : occurredAt,
        }),
        tx,
      );
      return 'applied';
    });
    if (outcome === 'applied') {
      const { total } = await this.stats.readSummary(day);
      this.updates.emit({ type: 'patients', day, eventType: event.event_type, total });
    }
    return outcome;
  }

  /** Present patients, and today's (UTC) events by kind. */
  summary(now: Date = new Date()): Promise<PatientSummary> {
    return this.stats.readSummary(utcDay(now));
  }
}
