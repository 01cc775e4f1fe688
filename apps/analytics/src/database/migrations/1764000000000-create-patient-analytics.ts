import { sqlMigration } from '@pm/platform';

export class CreatePatientAnalytics1764000000000 extends sqlMigration('CreatePatientAnalytics1764000000000', {
  up: [
    // One row per event applied, whatever its topic: inserting it is what makes applying idempotent.
    `CREATE TABLE processed_events (
       id text PRIMARY KEY,
       topic text NOT NULL,
       processed_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE patient_daily_counts (
       day date PRIMARY KEY,
       created integer NOT NULL DEFAULT 0 CHECK (created >= 0),
       updated integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
       deleted integer NOT NULL DEFAULT 0 CHECK (deleted >= 0)
     )`,
    `CREATE TABLE patient_registry (
       patient_id uuid PRIMARY KEY,
       deleted boolean NOT NULL,
       last_event_at timestamptz NOT NULL
     )`,
    // The total counts present patients; a partial index keeps that count an index-only scan.
    'CREATE INDEX ix_patient_registry_present ON patient_registry (patient_id) WHERE NOT deleted',
  ],
  down: ['DROP TABLE patient_registry', 'DROP TABLE patient_daily_counts', 'DROP TABLE processed_events'],
}) {}
