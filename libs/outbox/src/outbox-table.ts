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
