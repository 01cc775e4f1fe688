import { idempotencyKeyFor } from '@pm/kafka';

/** Where a consumed event sat in Kafka, and the broker's timestamp for it. */
export interface EventPosition {
  topic: string;
  partition: number;
  offset: string;
  /** Epoch milliseconds as Kafka reports them (a string). */
  timestamp: string;
}

/** What applying one event did: changed the aggregates, or nothing because it was seen before. */
export type ApplyOutcome = 'applied' | 'duplicate';

/**
 * The id an event is deduplicated on: its own `event_id`, or, from older producers that send
 * none, its place in Kafka (a redelivery has the same place, so it is still recognised).
 */
export function processedEventId(eventId: string, position: EventPosition): string {
  return idempotencyKeyFor(eventId, position);
}

// Dates PostgreSQL's `date` and an ISO string both handle: after the epoch, before year 10000.
const LATEST_USABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const usableEpochMs = (ms: number) => Number.isFinite(ms) && ms > 0 && ms <= LATEST_USABLE_MS;

/** When the event happened: its `occurred_at`, else (older producers send 0) the Kafka timestamp. */
export function eventTime(occurredAtMs: number, position: EventPosition): Date {
  if (usableEpochMs(occurredAtMs)) return new Date(occurredAtMs);
  const kafkaMs = Number(position.timestamp);
  return usableEpochMs(kafkaMs) ? new Date(kafkaMs) : new Date();
}

/** `YYYY-MM-DD` of the instant in UTC: the day an event is counted on. */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
