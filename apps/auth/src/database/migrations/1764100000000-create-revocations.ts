import { sqlMigration } from '@pm/platform';

/** Auth's own record of the revocation list, republished to Redis whenever Redis (re)connects. */
export class CreateRevocations1764100000000 extends sqlMigration('CreateRevocations1764100000000', {
  up: [
    `CREATE TABLE revocations (
       key text PRIMARY KEY,
       value text NOT NULL,
       expires_at timestamptz NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    'CREATE INDEX ix_revocations_expires_at ON revocations (expires_at)',
  ],
  down: ['DROP TABLE revocations'],
}) {}
