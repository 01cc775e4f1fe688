import { sqlMigration } from '@pm/platform';

export class CreateIdempotencyKeys1764200000000 extends sqlMigration('CreateIdempotencyKeys1764200000000', {
  up: [
    // Keys are per caller, so one caller's key never replays another caller's patient.
    `CREATE TABLE patient_idempotency_keys (
       actor_id text NOT NULL,
       idempotency_key text NOT NULL,
       request_fingerprint text NOT NULL,
       patient_id uuid NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT pk_patient_idempotency_keys PRIMARY KEY (actor_id, idempotency_key)
     )`,
  ],
  down: ['DROP TABLE patient_idempotency_keys'],
}) {}
