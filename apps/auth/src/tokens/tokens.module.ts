import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokenGuard, AccessTokenVerifier, RevocationListFollower, TokenRevocationList } from '@pm/auth-tokens';
import { APP_CONFIG, RedisConnection } from '@pm/platform';
import { createLocalJWKSet } from 'jose';
import type { AuthConfig } from '../config/auth.config';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwksController } from './jwks.controller';
import { SigningKeys } from './signing-keys';
import { ValidateController } from './validate.controller';

/**
 * Signing and verifying access tokens. Auth wires the shared guard itself instead of importing
 * AuthTokensModule: that module fetches the JWKS over HTTP, and auth verifies against its own
 * keys in memory (no request to itself, no start-up ordering problem).
 */
@Module({
  controllers: [JwksController, ValidateController],
  providers: [
    {
      provide: SigningKeys,
      inject: [APP_CONFIG],
      useFactory: (config: AuthConfig) => SigningKeys.load(config.AUTH_SIGNING_KEYS),
    },
    {
      provide: AccessTokenIssuer,
      inject: [SigningKeys, APP_CONFIG],
      useFactory: (keys: SigningKeys, config: AuthConfig) =>
        new AccessTokenIssuer(keys, {
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
        }),
    },
    {
      provide: TokenRevocationList,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => new TokenRevocationList(redis.client),
    },
    RevocationListFollower,
    {
      // The same verifier as every other service (ES256 pinned, issuer, audience, expiry,
      // revocations), over auth's own published keys in memory.
      provide: AccessTokenVerifier,
      inject: [SigningKeys, TokenRevocationList, APP_CONFIG],
      useFactory: (keys: SigningKeys, revocations: TokenRevocationList, config: AuthConfig) =>
        new AccessTokenVerifier(
          {
            AUTH_JWKS_URL: `http://127.0.0.1:${config.HTTP_PORT}/.well-known/jwks.json`,
            JWT_ISSUER: config.JWT_ISSUER,
            JWT_AUDIENCE: config.JWT_AUDIENCE,
          },
          createLocalJWKSet({ keys: keys.publicJwks.map((key) => ({ ...key })) }),
          revocations,
        ),
    },
    AccessTokenGuard,
    { provide: APP_GUARD, useExisting: AccessTokenGuard },
  ],
  exports: [SigningKeys, AccessTokenIssuer, TokenRevocationList, AccessTokenVerifier],
})
export class TokensModule {}
