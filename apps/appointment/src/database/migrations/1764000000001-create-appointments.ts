import { sqlMigration } from '@pm/platform';

export class CreateAppointments1764000000001 extends sqlMigration('CreateAppointments1764000000001', {
  up: [
    `CREATE TABLE appointments (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       patient_id uuid NOT NULL,
       doctor_id uuid NULL,
       start_time timestamptz NOT NULL,
       end_time timestamptz NOT NULL,
       reason text NOT NULL,
       status varchar(16) NOT NULL DEFAULT 'SCHEDULED',
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT ck_appointments_end_after_start CHECK (end_time > start_time),
       CONSTRAINT ck_appointments_status
         CHECK (status IN ('SCHEDULED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW'))
     )`,
    'CREATE INDEX ix_appointments_start_time ON appointments (start_time)',
    // A patient's appointments in a range without scanning everyone's.
    'CREATE INDEX ix_appointments_patient_id_start_time ON appointments (patient_id, start_time)',
  ],
  down: ['DROP TABLE appointments'],
}) {}
