import { sqlMigration } from '@pm/platform';

/** A local copy of patient names, fed by the `patient` topic, so reads never call the patient service. */
export class CreatePatientsDirectory1764000000000 extends sqlMigration('CreatePatientsDirectory1764000000000', {
  up: [
    `CREATE TABLE patients_directory (
       patient_id uuid PRIMARY KEY,
       name text NULL,
       email text NULL,
       deleted boolean NOT NULL DEFAULT false,
       last_event_at timestamptz NULL
     )`,
  ],
  down: ['DROP TABLE patients_directory'],
}) {}
