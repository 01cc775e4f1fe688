import { Injectable } from '@nestjs/common';
import type { OutgoingEvent } from '@pm/kafka';
import type { EntityManager } from 'typeorm';
import { OutboxRelay } from './outbox.relay';

/** Records events in the caller's transaction: they are published after it commits, never before. */
@Injectable()
export class OutboxWriter {
  constructor(private readonly relay: OutboxRelay) {}

  async add(manager: EntityManager, events: OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const params: unknown[] = [];
    const rows = events.map((event) => {
      params.push(event.topic, event.key, event.value, JSON.stringify(event.headers ?? {}));
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    await manager.query(`INSERT INTO outbox_events (topic, message_key, payload, headers) VALUES ${rows.join(', ')}`, params);
    // The transaction commits after this returns; a nudge soon after saves most of a poll interval.
    this.relay.wakeSoon();
  }
}
