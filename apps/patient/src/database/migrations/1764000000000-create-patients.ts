import { sqlMigration } from '@pm/platform';

export class CreatePatients1764000000000 extends sqlMigration('CreatePatients1764000000000', {
  up: [
    `CREATE TABLE patients (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       name varchar(100) NOT NULL,
       email varchar(255) NOT NULL,
       address text NOT NULL,
       date_of_birth date NOT NULL,
       registered_date date NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       version integer NOT NULL DEFAULT 1
     )`,
    // Emails are unique whatever their case; the index, not a pre-check, is what stops a race.
    'CREATE UNIQUE INDEX uq_patients_email_lower ON patients (lower(email))',
    // The default list order: case-insensitive name, id as the tie-break.
    'CREATE INDEX ix_patients_name_lower_id ON patients (lower(name), id)',
  ],
  down: ['DROP TABLE patients'],
}) {}
