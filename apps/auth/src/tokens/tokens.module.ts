import { Module } from '@nestjs/common';
import { AccessTokenVerifier } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/config';
import { createLocalJWKSet } from 'jose';
import type { AuthConfig } from '../config/auth.config';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwksController } from './jwks.controller';
import { SigningKeys } from './signing-keys';
import { ValidateController } from './validate.controller';

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
      // Auth verifies with the same verifier as every other service, over its own keys in memory
      // rather than by fetching its own URL.
      provide: AccessTokenVerifier,
      inject: [SigningKeys, APP_CONFIG],
      useFactory: (keys: SigningKeys, config: AuthConfig) =>
        new AccessTokenVerifier(
          {
            AUTH_JWKS_URL: `http://127.0.0.1:${config.HTTP_PORT}/.well-known/jwks.json`,
            JWT_ISSUER: config.JWT_ISSUER,
            JWT_AUDIENCE: config.JWT_AUDIENCE,
          },
          createLocalJWKSet({ keys: keys.publicJwks.map((key) => ({ ...key })) }),
        ),
    },
  ],
  exports: [SigningKeys, AccessTokenIssuer],
})
export class TokensModule {}
