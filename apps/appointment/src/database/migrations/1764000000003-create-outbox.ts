import { outboxTableStatements } from '@pm/outbox';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Appointment events wait here, written in the same transaction as the change they announce. */
export class CreateOutbox1764000000003 implements MigrationInterface {
  name = 'CreateOutbox1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of outboxTableStatements()) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_events');
  }
}
