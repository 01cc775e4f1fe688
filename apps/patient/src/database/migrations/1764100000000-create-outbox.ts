import { outboxTableStatements } from '@pm/outbox';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Patient events are recorded here in the change's transaction and relayed to Kafka. */
export class CreateOutbox1764100000000 implements MigrationInterface {
  name = 'CreateOutbox1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of outboxTableStatements()) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_events');
  }
}
