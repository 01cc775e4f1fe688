import { sqlMigration } from '@pm/platform';

export class CreateUsers1763900500000 extends sqlMigration('CreateUsers1763900500000', {
  up: [
    `CREATE TABLE users (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       email varchar(254) NOT NULL CONSTRAINT ck_users_email_lower_case CHECK (email = lower(email)),
       password_hash text NOT NULL,
       role varchar(16) NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST')),
       disabled boolean NOT NULL DEFAULT false,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT uq_users_email UNIQUE (email)
     )`,
  ],
  down: ['DROP TABLE users'],
}) {}
