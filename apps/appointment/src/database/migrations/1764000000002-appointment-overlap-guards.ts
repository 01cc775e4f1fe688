import { sqlMigration } from '@pm/platform';

/**
 * The database, not the service, guarantees that a doctor or a patient never has two active
 * (SCHEDULED or CHECKED_IN) appointments whose times overlap, so concurrent bookings of one slot
 * cannot both win. Ranges are half-open: one appointment may start when another ends.
 */
export class AppointmentOverlapGuards1764000000002 extends sqlMigration('AppointmentOverlapGuards1764000000002', {
  up: [
    // GiST over a plain uuid equality needs btree_gist.
    'CREATE EXTENSION IF NOT EXISTS btree_gist',
    // Every appointment has a doctor from now on; databases here hold no older rows without one.
    'ALTER TABLE appointments ALTER COLUMN doctor_id SET NOT NULL',
    ...['doctor', 'patient'].map(
      (party) => `
        ALTER TABLE appointments ADD CONSTRAINT ex_appointments_${party}_no_overlap
          EXCLUDE USING gist (${party}_id WITH =, tstzrange(start_time, end_time) WITH &&)
          WHERE (status IN ('SCHEDULED', 'CHECKED_IN'))`,
    ),
  ],
  down: [
    'ALTER TABLE appointments DROP CONSTRAINT ex_appointments_patient_no_overlap',
    'ALTER TABLE appointments DROP CONSTRAINT ex_appointments_doctor_no_overlap',
    'ALTER TABLE appointments ALTER COLUMN doctor_id DROP NOT NULL',
  ],
}) {}
