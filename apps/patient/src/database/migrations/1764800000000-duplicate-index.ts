import { sqlMigration } from '@pm/platform';

/**
 * The birth date is encrypted, so likely duplicates are found by a keyed hash of it
 * (`birth_date_index`, HMAC-SHA256, written by the service) plus a trigram match on the name.
 * Rows from before have no index yet: the service's start-up pass fills it.
 */
export class DuplicateIndex1764800000000 extends sqlMigration('DuplicateIndex1764800000000', {
  up: [
    // The search migration creates it too; either may run first.
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    'ALTER TABLE patients ADD COLUMN birth_date_index text',
    'CREATE INDEX ix_patients_birth_date_index ON patients (birth_date_index) WHERE deleted_at IS NULL',
  ],
  down: ['DROP INDEX ix_patients_birth_date_index', 'ALTER TABLE patients DROP COLUMN birth_date_index'],
}) {}
