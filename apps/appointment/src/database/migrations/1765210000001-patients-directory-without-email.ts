import { sqlMigration } from '@pm/platform';

/**
 * The directory keeps what this service uses (the name shown with appointments, the deleted
 * state): patients' emails were copied here and never read.
 */
export class PatientsDirectoryWithoutEmail1765210000001 extends sqlMigration('PatientsDirectoryWithoutEmail1765210000001', {
  up: ['ALTER TABLE patients_directory DROP COLUMN email'],
  // The emails are gone; the patient topic's next event for each patient would not refill them.
  down: ['ALTER TABLE patients_directory ADD COLUMN email text NULL'],
}) {}
