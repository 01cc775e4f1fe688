import { outboxTableStatements } from '@pm/outbox';
import { sqlMigration } from '@pm/platform';

/** Balances, invoices with lines, idempotent payments, and the outbox that announces them. */
export class CreateInvoicesAndPayments1764000000000 extends sqlMigration('CreateInvoicesAndPayments1764000000000', {
  up: [
    `ALTER TABLE billing_accounts
       ADD COLUMN balance_minor bigint NOT NULL DEFAULT 0,
       ADD COLUMN currency char(3) CHECK (currency ~ '^[A-Z]{3}$')`,
    `CREATE TABLE invoices (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       account_id uuid NOT NULL REFERENCES billing_accounts (id),
       patient_id uuid NOT NULL,
       appointment_id uuid,
       currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
       total_minor bigint NOT NULL CHECK (total_minor >= 0),
       paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
       status varchar(16) NOT NULL CHECK (status IN ('OPEN', 'PAID')),
       issued_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT ck_invoices_paid_within_total CHECK (paid_minor <= total_minor),
       CONSTRAINT uq_invoices_appointment_id UNIQUE (appointment_id)
     )`,
    'CREATE INDEX ix_invoices_patient_id_issued_at ON invoices (patient_id, issued_at)',
    'CREATE INDEX ix_invoices_account_id ON invoices (account_id)',
    `CREATE TABLE invoice_lines (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       invoice_id uuid NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
       position integer NOT NULL,
       description varchar(200) NOT NULL,
       quantity integer NOT NULL CHECK (quantity > 0),
       unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
       amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
       CONSTRAINT uq_invoice_lines_invoice_id_position UNIQUE (invoice_id, position)
     )`,
    `CREATE TABLE payments (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       invoice_id uuid NOT NULL REFERENCES invoices (id),
       amount_minor bigint NOT NULL CHECK (amount_minor > 0),
       currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
       idempotency_key varchar(255) NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT uq_payments_invoice_id_idempotency_key UNIQUE (invoice_id, idempotency_key)
     )`,
    ...outboxTableStatements(),
  ],
  down: [
    'DROP TABLE outbox_events',
    'DROP TABLE payments',
    'DROP TABLE invoice_lines',
    'DROP TABLE invoices',
    'ALTER TABLE billing_accounts DROP COLUMN currency, DROP COLUMN balance_minor',
  ],
}) {}
