import { outboxTableStatements } from '@pm/outbox';
import { sqlMigration } from '@pm/platform';

/** Patient events are recorded here in the change's transaction and relayed to Kafka. */
export class CreateOutbox1764100000000 extends sqlMigration('CreateOutbox1764100000000', {
  up: outboxTableStatements(),
  down: ['DROP TABLE outbox_events'],
}) {}
