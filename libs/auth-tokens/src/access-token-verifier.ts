import type { JWTVerifyGetKey } from 'jose';
import { jwksKeyProvider, keySetKeyProvider } from './access-token-keys';
import type { AccessTokenClaims, TokenVerificationConfig } from './access-token-policy';
import { AccessTokenStrategy } from './access-token.strategy';
import type { TokenRevocationList } from './token-revocation-list';

/**
 * The one place access tokens are verified, for the guard of every service, the gateway and
 * auth's /validate alike: the passport-jwt AccessTokenStrategy over auth's keys and the
 * revocation list. Invalid, expired or revoked → InvalidAccessTokenError (401); keys or Redis
 * unreachable → TokenVerificationUnavailableError (503).
 */
export class AccessTokenVerifier {
  readonly strategy: AccessTokenStrategy;

  /**
   * @param keys a jose key set to use instead of fetching `AUTH_JWKS_URL` through RemoteKeySet
   *   (auth verifies with its own keys in memory)
   * @param revocations checked after the signature; without it revoked tokens stay valid
   */
  constructor(config: TokenVerificationConfig, keys?: JWTVerifyGetKey, revocations?: TokenRevocationList) {
    const keyProvider = keys ? keySetKeyProvider(keys) : jwksKeyProvider(config.AUTH_JWKS_URL);
    this.strategy = new AccessTokenStrategy(config, keyProvider, revocations);
  }

  verify(token: string): Promise<AccessTokenClaims> {
    return this.strategy.verifyToken(token);
  }
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}
