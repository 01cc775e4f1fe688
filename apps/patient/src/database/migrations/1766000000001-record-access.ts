import { sqlMigration } from '@pm/platform';

/**
 * Restricted records and break the glass. A restricted record's clinical entries are for its care
 * team: the doctors its appointments name (learned from the `appointment` topic, one row per
 * appointment as its latest event left it) and the users ADMIN assigns. Anyone else who states a
 * reason gets an hour of read-only access (an emergency grant). Reasons are sealed (AES-GCM, like
 * the address); audit entries of those reads carry the reason, sealed too, and a new outcome.
 */
export class RecordAccess1766000000001 extends sqlMigration('RecordAccess1766000000001', {
  up: [
    `CREATE TABLE record_restrictions (
      patient_id uuid PRIMARY KEY REFERENCES patients (id),
      reason text NOT NULL,
      restricted_by text NOT NULL,
      restricted_at timestamptz NOT NULL
    )`,
    // No foreign key to patients: an appointment's event may come before the patient's row exists here.
    `CREATE TABLE care_team_appointments (
      appointment_id uuid PRIMARY KEY,
      patient_id uuid NOT NULL,
      doctor_id uuid NOT NULL,
      start_time timestamptz NOT NULL,
      status text NOT NULL,
      booked_by uuid,
      occurred_at timestamptz NOT NULL
    )`,
    'CREATE INDEX ix_care_team_appointments_patient_doctor ON care_team_appointments (patient_id, doctor_id)',
    `CREATE TABLE care_team_assignments (
      patient_id uuid NOT NULL REFERENCES patients (id),
      user_id uuid NOT NULL,
      assigned_by text NOT NULL,
      assigned_at timestamptz NOT NULL,
      PRIMARY KEY (patient_id, user_id)
    )`,
    `CREATE TABLE emergency_access_grants (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      patient_id uuid NOT NULL REFERENCES patients (id),
      user_id text NOT NULL,
      reason text NOT NULL,
      granted_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    )`,
    'CREATE INDEX ix_emergency_access_grants_patient_user ON emergency_access_grants (patient_id, user_id, expires_at DESC)',
    'ALTER TABLE audit_entries ADD COLUMN reason text',
    'ALTER TABLE audit_entries DROP CONSTRAINT ck_audit_entries_outcome',
    `ALTER TABLE audit_entries ADD CONSTRAINT ck_audit_entries_outcome CHECK (outcome IN ('ALLOWED', 'DENIED', 'EMERGENCY'))`,
  ],
  down: [
    'ALTER TABLE audit_entries DROP CONSTRAINT ck_audit_entries_outcome',
    `ALTER TABLE audit_entries ADD CONSTRAINT ck_audit_entries_outcome CHECK (outcome IN ('ALLOWED', 'DENIED')) NOT VALID`,
    'ALTER TABLE audit_entries DROP COLUMN reason',
    'DROP TABLE emergency_access_grants',
    'DROP TABLE care_team_assignments',
    'DROP TABLE care_team_appointments',
    'DROP TABLE record_restrictions',
  ],
}) {}
