/**
 * The `outbox_events` table, for a service's own migration. Rows are written in the same
 * transaction as the change they announce; `id` order is publication order.
 */
export function outboxTableStatements(): string[] {
  return [
    `CREATE TABLE outbox_events (
       id bigserial PRIMARY KEY,
       topic text NOT NULL,
       message_key text NOT NULL,
       payload bytea NOT NULL,
       headers jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       published_at timestamptz
     )`,
    'CREATE INDEX ix_outbox_events_pending ON outbox_events (id) WHERE published_at IS NULL',
    'CREATE INDEX ix_outbox_events_published_at ON outbox_events (published_at) WHERE published_at IS NOT NULL',
  ];
}

/**
 * Held events (OutboxEvent.holdMs): a row the relay leaves alone until `publish_after`, unless
 * the writer withdraws it first. For a service's migration after outboxTableStatements.
 */
export function outboxHeldEventsStatements(): string[] {
  return [
    'ALTER TABLE outbox_events ADD COLUMN publish_after timestamptz',
    'CREATE INDEX ix_outbox_events_held ON outbox_events (topic, message_key) WHERE publish_after IS NOT NULL AND published_at IS NULL',
  ];
}

export function dropOutboxHeldEventsStatements(): string[] {
  return ['DROP INDEX ix_outbox_events_held', 'ALTER TABLE outbox_events DROP COLUMN publish_after'];
}
