import { sqlMigration } from '@pm/platform';

/** When a visit note documented the appointment (set once, from the `clinical` topic); null until then. */
export class AppointmentsDocumentedAt1766100000000 extends sqlMigration('AppointmentsDocumentedAt1766100000000', {
  up: ['ALTER TABLE appointments ADD COLUMN documented_at timestamptz NULL'],
  down: ['ALTER TABLE appointments DROP COLUMN documented_at'],
}) {}
