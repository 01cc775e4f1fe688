import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBillingAccounts1763900000000 implements MigrationInterface {
  name = 'CreateBillingAccounts1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE billing_accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        patient_id uuid NOT NULL,
        status varchar(32) NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_billing_accounts_patient_id UNIQUE (patient_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE billing_accounts');
  }
}
