import { dropOutboxHeldEventsStatements, outboxHeldEventsStatements } from '@pm/outbox';
import { sqlMigration } from '@pm/platform';

/** Held outbox events (publish_after): a fallback published only when not withdrawn in time. */
export class OutboxHeldEvents1765210000000 extends sqlMigration('OutboxHeldEvents1765210000000', {
  up: outboxHeldEventsStatements(),
  down: dropOutboxHeldEventsStatements(),
}) {}
