import { sqlMigration } from '@pm/platform';

/** Deleted patients are kept (for the audit trail and restore), hidden by `deleted_at`. */
export class SoftDeletePatients1764300000000 extends sqlMigration('SoftDeletePatients1764300000000', {
  up: [
    'ALTER TABLE patients ADD COLUMN deleted_at timestamptz',
    // An email is unique among the patients that exist; a deleted one frees it (a restore that
    // would collide is refused). Same index name, so the email-taken mapping stays one place.
    'DROP INDEX uq_patients_email_lower',
    'CREATE UNIQUE INDEX uq_patients_email_lower ON patients (lower(email)) WHERE deleted_at IS NULL',
    'DROP INDEX ix_patients_name_lower_id',
    'CREATE INDEX ix_patients_name_lower_id ON patients (lower(name), id) WHERE deleted_at IS NULL',
  ],
  down: [
    'DELETE FROM patients WHERE deleted_at IS NOT NULL',
    'DROP INDEX ix_patients_name_lower_id',
    'CREATE INDEX ix_patients_name_lower_id ON patients (lower(name), id)',
    'DROP INDEX uq_patients_email_lower',
    'CREATE UNIQUE INDEX uq_patients_email_lower ON patients (lower(email))',
    'ALTER TABLE patients DROP COLUMN deleted_at',
  ],
}) {}
