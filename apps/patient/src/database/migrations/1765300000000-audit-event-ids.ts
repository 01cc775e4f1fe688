import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit entries that arrive as events (refusals decided by the gateway, Kafka `audit-denials`)
 * carry the event's id, unique, so a redelivered event is written once.
 */
export class AuditEventIds1765300000000 implements MigrationInterface {
  name = 'AuditEventIds1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE audit_entries ADD COLUMN event_id uuid');
    await queryRunner.query('CREATE UNIQUE INDEX ux_audit_entries_event_id ON audit_entries (event_id) WHERE event_id IS NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ux_audit_entries_event_id');
    await queryRunner.query('ALTER TABLE audit_entries DROP COLUMN event_id');
  }
}
