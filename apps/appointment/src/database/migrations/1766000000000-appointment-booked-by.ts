import { sqlMigration } from '@pm/platform';

/**
 * Who booked each appointment (the caller's user id at POST /appointments): the patient service
 * counts a SCHEDULED appointment towards a doctor's care team only when someone else booked it.
 * Appointments booked before this column existed have none.
 */
export class AppointmentBookedBy1766000000000 extends sqlMigration('AppointmentBookedBy1766000000000', {
  up: ['ALTER TABLE appointments ADD COLUMN booked_by uuid NULL'],
  down: ['ALTER TABLE appointments DROP COLUMN booked_by'],
}) {}
