import { MigrationInterface, QueryRunner } from 'typeorm';

/** Deleted patients are kept (for the audit trail and restore), hidden by `deleted_at`. */
export class SoftDeletePatients1764300000000 implements MigrationInterface {
  name = 'SoftDeletePatients1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE patients ADD COLUMN deleted_at timestamptz');
    // An email is unique among the patients that exist; a deleted one frees it (a restore that
    // would collide is refused). Same index name, so the email-taken mapping stays one place.
    await queryRunner.query('DROP INDEX uq_patients_email_lower');
    await queryRunner.query('CREATE UNIQUE INDEX uq_patients_email_lower ON patients (lower(email)) WHERE deleted_at IS NULL');
    await queryRunner.query('DROP INDEX ix_patients_name_lower_id');
    await queryRunner.query('CREATE INDEX ix_patients_name_lower_id ON patients (lower(name), id) WHERE deleted_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM patients WHERE deleted_at IS NOT NULL');
    await queryRunner.query('DROP INDEX ix_patients_name_lower_id');
    await queryRunner.query('CREATE INDEX ix_patients_name_lower_id ON patients (lower(name), id)');
    await queryRunner.query('DROP INDEX uq_patients_email_lower');
    await queryRunner.query('CREATE UNIQUE INDEX uq_patients_email_lower ON patients (lower(email))');
    await queryRunner.query('ALTER TABLE patients DROP COLUMN deleted_at');
  }
}
