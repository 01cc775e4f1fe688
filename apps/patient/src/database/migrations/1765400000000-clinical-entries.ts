import { sqlMigration } from '@pm/platform';

const KEEP_TABLES = ['clinical_entries', 'clinical_entry_versions'];

/**
 * The medical record: every clinical entry (allergy, condition, medication, vital sign, note) in
 * one table, its kind-specific fields sealed in `details` (AES-GCM, like the address), and every
 * version of it in `clinical_entry_versions`. Nothing clinical is deleted: an entry made in error
 * is marked and hidden from the chart, and both tables refuse DELETE.
 * In clear only what may be: kind, status, the vital sign's LOINC code, dates, user ids.
 */
export class ClinicalEntries1765400000000 extends sqlMigration('ClinicalEntries1765400000000', {
  up: [
    `CREATE TABLE clinical_entries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      patient_id uuid NOT NULL REFERENCES patients (id),
      kind text NOT NULL CONSTRAINT ck_clinical_entries_kind CHECK (kind IN ('allergies', 'conditions', 'medications', 'vitals', 'notes')),
      status text NOT NULL,
      code text,
      effective_at timestamptz NOT NULL,
      details text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      recorded_by text NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      updated_by text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(),
      entered_in_error_at timestamptz,
      entered_in_error_by text,
      entered_in_error_reason text
    )`,
    // A chart or a list reads one patient's live entries of a kind, newest first.
    'CREATE INDEX ix_clinical_entries_chart ON clinical_entries (patient_id, kind, effective_at DESC, id DESC) WHERE entered_in_error_at IS NULL',
    `CREATE TABLE clinical_entry_versions (
      entry_id uuid NOT NULL REFERENCES clinical_entries (id),
      version integer NOT NULL,
      change text NOT NULL CONSTRAINT ck_clinical_entry_versions_change CHECK (change IN ('RECORDED', 'CORRECTED', 'ENTERED_IN_ERROR')),
      changed_by text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now(),
      snapshot text NOT NULL,
      PRIMARY KEY (entry_id, version)
    )`,
    `CREATE FUNCTION clinical_record_keep() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'clinical entries are never deleted; mark them entered-in-error' USING ERRCODE = 'insufficient_privilege';
    END $$`,
    ...KEEP_TABLES.map((table) => `CREATE TRIGGER ${table}_keep BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION clinical_record_keep()`),
    // Which kind of clinical entry an audited access was about (null for the patient record itself).
    'ALTER TABLE audit_entries ADD COLUMN entry_kind text',
  ],
  down: [
    'ALTER TABLE audit_entries DROP COLUMN entry_kind',
    'DROP TABLE clinical_entry_versions',
    'DROP TABLE clinical_entries',
    'DROP FUNCTION clinical_record_keep()',
  ],
}) {}
