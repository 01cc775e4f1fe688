import { outboxTableStatements } from '@pm/outbox';
import { sqlMigration } from '@pm/platform';

/** Appointment events wait here, written in the same transaction as the change they announce. */
export class CreateOutbox1764000000003 extends sqlMigration('CreateOutbox1764000000003', {
  up: outboxTableStatements(),
  down: ['DROP TABLE outbox_events'],
}) {}
