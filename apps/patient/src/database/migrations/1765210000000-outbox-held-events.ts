import { dropOutboxHeldEventsStatements, outboxHeldEventsStatements } from '@pm/outbox';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Held outbox events (publish_after): a fallback published only when not withdrawn in time. */
export class OutboxHeldEvents1765210000000 implements MigrationInterface {
  name = 'OutboxHeldEvents1765210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of outboxHeldEventsStatements()) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of dropOutboxHeldEventsStatements()) await queryRunner.query(sql);
  }
}
