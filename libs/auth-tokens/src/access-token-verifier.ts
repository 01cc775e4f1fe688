import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { Role, isRole } from './roles';
import type { TokenRevocationList } from './token-revocation-list';

/** What a verified access token says about its bearer. */
export interface AccessTokenClaims {
  userId: string;
  email: string;
  role: Role;
  tokenId: string;
  /** The login session (refresh-token family) the token belongs to. */
  sessionId?: string;
  /** Epoch seconds. */
  issuedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface TokenVerificationConfig {
  AUTH_JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

export class InvalidAccessTokenError extends Error {}

/** The token was valid but has been revoked (logout, disabled user): a 401 like any bad token. */
export class RevokedAccessTokenError extends InvalidAccessTokenError {}

/** The token could not be checked (keys or revocation list unreachable): a 503, not a 401. */
export class TokenVerificationUnavailableError extends Error {}

/** The keys could not be fetched (auth down or slow): the token may be fine, so not a 401. */
export class TokenKeysUnavailableError extends TokenVerificationUnavailableError {}

// jose's codes for a key set that could not be fetched or read, as opposed to a bad token.
const KEY_FETCH_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

function isKeyFetchFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // A failed fetch() (connection refused, DNS) is a TypeError from undici.
  return (code !== undefined && KEY_FETCH_FAILURES.has(code)) || (error as Error).name === 'TypeError' || code === 'ERR_JOSE_GENERIC';
}

/** Access tokens are signed with ES256 only; anything else (none, HS256, RS256) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

/**
 * The one place access tokens are verified: signature against auth's published JWKS (fetched
 * once, cached, refetched when an unknown `kid` appears), algorithm, issuer, audience and expiry.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    private readonly config: TokenVerificationConfig,
    keys?: JWTVerifyGetKey,
    private readonly revocations?: TokenRevocationList,
  ) {
    this.keys =
      keys ??
      createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
        timeoutDuration: 2000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const claims = await this.verifySignedClaims(token);
    if (this.revocations) {
      let revoked: boolean;
      try {
        revoked = await this.revocations.isRevoked(claims);
      } catch (error) {
        throw new TokenVerificationUnavailableError(`The revocation list is unavailable: ${(error as Error).message}`);
      }
      if (revoked) throw new RevokedAccessTokenError('The access token has been revoked');
    }
    return claims;
  }

  private async verifySignedClaims(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      if (!isRole(payload.role)) throw new InvalidAccessTokenError('The token carries no known role');
      return {
        userId: payload.sub!,
        email: String(payload.email ?? ''),
        role: payload.role,
        tokenId: payload.jti!,
        sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
        issuedAt: payload.iat ?? 0,
        expiresAt: payload.exp!,
      };
    } catch (error) {
      if (error instanceof InvalidAccessTokenError) throw error;
      if (isKeyFetchFailure(error)) throw new TokenKeysUnavailableError(`The token keys are unavailable: ${(error as Error).message}`);
      throw new InvalidAccessTokenError((error as Error).message);
    }
  }
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header?.trim() ?? '');
  return match?.[1];
}
