import { Injectable } from '@nestjs/common';
import type { OutgoingEvent } from '@pm/kafka';
import type { EntityManager } from 'typeorm';
import { OutboxRelay } from './outbox.relay';

/**
 * An event for the outbox. With `holdMs`, the relay publishes it only once that long has passed
 * since the commit and it has not been withdrawn meanwhile: a fallback for work that is usually
 * done another way (see withdraw).
 */
export type OutboxEvent = OutgoingEvent & { holdMs?: number };

/** Records events in the caller's transaction: they are published after it commits, never before. */
@Injectable()
export class OutboxWriter {
  constructor(private readonly relay: OutboxRelay) {}

  async add(manager: EntityManager, events: OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const params: unknown[] = [];
    const rows = events.map((event) => {
      params.push(event.topic, event.key, event.value, JSON.stringify(event.headers ?? {}), event.holdMs ?? null);
      const n = params.length;
      return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::jsonb, now() + make_interval(secs => $${n}::double precision / 1000))`;
    });
    await manager.query(`INSERT INTO outbox_events (topic, message_key, payload, headers, publish_after) VALUES ${rows.join(', ')}`, params);
    // The transaction commits after this returns; a nudge soon after saves most of a poll interval.
    this.relay.wakeSoon();
  }

  /**
   * Withdraws the held events of `topic` and `key` that are not published yet (the work they
   * stood in for was done another way); how many it withdrew. Events without a hold are never
   * withdrawn.
   */
  async withdraw(manager: EntityManager, topic: string, key: string): Promise<number> {
    const rows: unknown[] = await manager.query(
      `WITH withdrawn AS (
         DELETE FROM outbox_events WHERE topic = $1 AND message_key = $2 AND publish_after IS NOT NULL AND published_at IS NULL
         RETURNING 1)
       SELECT 1 FROM withdrawn`,
      [topic, key],
    );
    return rows.length;
  }
}
