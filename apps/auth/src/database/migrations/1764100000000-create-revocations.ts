import { MigrationInterface, QueryRunner } from 'typeorm';

/** Auth's own record of the revocation list, republished to Redis whenever Redis (re)connects. */
export class CreateRevocations1764100000000 implements MigrationInterface {
  name = 'CreateRevocations1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE revocations (
        key text PRIMARY KEY,
        value text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX ix_revocations_expires_at ON revocations (expires_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE revocations');
  }
}
