import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys expire (IDEMPOTENCY_KEY_TTL_HOURS) and are purged in batches of the oldest;
 * without this index every purge would scan the whole table.
 */
export class IdempotencyKeyExpiry1765000000000 implements MigrationInterface {
  name = 'IdempotencyKeyExpiry1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_patient_idempotency_keys_created_at ON patient_idempotency_keys (created_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_patient_idempotency_keys_created_at');
  }
}
