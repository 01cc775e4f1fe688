import { sqlMigration } from '@pm/platform';

export class CreateRefreshTokens1764000000000 extends sqlMigration('CreateRefreshTokens1764000000000', {
  up: [
    `CREATE TABLE refresh_tokens (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       family_id uuid NOT NULL,
       user_id uuid NOT NULL CONSTRAINT fk_refresh_tokens_user REFERENCES users (id) ON DELETE CASCADE,
       token_hash char(64) NOT NULL,
       expires_at timestamptz NOT NULL,
       used_at timestamptz,
       revoked_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash)
     )`,
    'CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id)',
    'CREATE INDEX ix_refresh_tokens_user_id ON refresh_tokens (user_id)',
  ],
  down: ['DROP TABLE refresh_tokens'],
}) {}
