import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyKeys1764200000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Keys are per caller, so one caller's key never replays another caller's patient.
    await queryRunner.query(`
      CREATE TABLE patient_idempotency_keys (
        actor_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_fingerprint text NOT NULL,
        patient_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_patient_idempotency_keys PRIMARY KEY (actor_id, idempotency_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE patient_idempotency_keys');
  }
}
