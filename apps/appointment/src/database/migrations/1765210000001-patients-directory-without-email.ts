import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory keeps what this service uses (the name shown with appointments, the deleted
 * state): patients' emails were copied here and never read.
 */
export class PatientsDirectoryWithoutEmail1765210000001 implements MigrationInterface {
  name = 'PatientsDirectoryWithoutEmail1765210000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE patients_directory DROP COLUMN email');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The emails are gone; the patient topic's next event for each patient would not refill them.
    await queryRunner.query('ALTER TABLE patients_directory ADD COLUMN email text NULL');
  }
}
