import { MigrationInterface, QueryRunner } from 'typeorm';

/** A local copy of patient names, fed by the `patient` topic, so reads never call the patient service. */
export class CreatePatientsDirectory1764000000000 implements MigrationInterface {
  name = 'CreatePatientsDirectory1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE patients_directory (
        patient_id uuid PRIMARY KEY,
        name text NULL,
        email text NULL,
        deleted boolean NOT NULL DEFAULT false,
        last_event_at timestamptz NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE patients_directory');
  }
}
