import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRefreshTokens1764000000000 implements MigrationInterface {
  name = 'CreateRefreshTokens1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL,
        user_id uuid NOT NULL CONSTRAINT fk_refresh_tokens_user REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash)
      )`);
    await queryRunner.query('CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id)');
    await queryRunner.query('CREATE INDEX ix_refresh_tokens_user_id ON refresh_tokens (user_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE refresh_tokens');
  }
}
