import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePatientAnalytics1764000000000 implements MigrationInterface {
  name = 'CreatePatientAnalytics1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per event applied, whatever its topic: inserting it is what makes applying idempotent.
    await queryRunner.query(`
      CREATE TABLE processed_events (
        id text PRIMARY KEY,
        topic text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE patient_daily_counts (
        day date PRIMARY KEY,
        created integer NOT NULL DEFAULT 0 CHECK (created >= 0),
        updated integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
        deleted integer NOT NULL DEFAULT 0 CHECK (deleted >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE patient_registry (
        patient_id uuid PRIMARY KEY,
        deleted boolean NOT NULL,
        last_event_at timestamptz NOT NULL
      )`);
    // The total counts present patients; a partial index keeps that count an index-only scan.
    await queryRunner.query('CREATE INDEX ix_patient_registry_present ON patient_registry (patient_id) WHERE NOT deleted');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE patient_registry');
    await queryRunner.query('DROP TABLE patient_daily_counts');
    await queryRunner.query('DROP TABLE processed_events');
  }
}
