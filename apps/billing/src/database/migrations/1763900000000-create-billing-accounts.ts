import { sqlMigration } from '@pm/platform';

export class CreateBillingAccounts1763900000000 extends sqlMigration('CreateBillingAccounts1763900000000', {
  up: [
    `CREATE TABLE billing_accounts (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       patient_id uuid NOT NULL,
       status varchar(32) NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED')),
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT uq_billing_accounts_patient_id UNIQUE (patient_id)
     )`,
  ],
  down: ['DROP TABLE billing_accounts'],
}) {}
