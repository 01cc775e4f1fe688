import { sqlMigration } from '@pm/platform';

/**
 * Idempotency keys expire (IDEMPOTENCY_KEY_TTL_HOURS) and are purged in batches of the oldest;
 * without this index every purge would scan the whole table.
 */
export class IdempotencyKeyExpiry1765000000000 extends sqlMigration('IdempotencyKeyExpiry1765000000000', {
  up: ['CREATE INDEX ix_patient_idempotency_keys_created_at ON patient_idempotency_keys (created_at)'],
  down: ['DROP INDEX ix_patient_idempotency_keys_created_at'],
}) {}
