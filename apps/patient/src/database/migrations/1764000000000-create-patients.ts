import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePatients1764000000000 implements MigrationInterface {
  name = 'CreatePatients1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        email varchar(255) NOT NULL,
        address text NOT NULL,
        date_of_birth date NOT NULL,
        registered_date date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // Emails are unique whatever their case; the index, not a pre-check, is what stops a race.
    await queryRunner.query('CREATE UNIQUE INDEX uq_patients_email_lower ON patients (lower(email))');
    // The default list order: case-insensitive name, id as the tie-break.
    await queryRunner.query('CREATE INDEX ix_patients_name_lower_id ON patients (lower(name), id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE patients');
  }
}
