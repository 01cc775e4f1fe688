import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The birth date is encrypted, so likely duplicates are found by a keyed hash of it
 * (`birth_date_index`, HMAC-SHA256, written by the service) plus a trigram match on the name.
 * Rows from before have no index yet: the service's start-up pass fills it.
 */
export class DuplicateIndex1764800000000 implements MigrationInterface {
  name = 'DuplicateIndex1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The search migration creates it too; either may run first.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await queryRunner.query('ALTER TABLE patients ADD COLUMN birth_date_index text');
    await queryRunner.query('CREATE INDEX ix_patients_birth_date_index ON patients (birth_date_index) WHERE deleted_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_patients_birth_date_index');
    await queryRunner.query('ALTER TABLE patients DROP COLUMN birth_date_index');
  }
}
