import type { Algorithm, JwtPayload } from 'jsonwebtoken';
import { InvalidAccessTokenError } from './access-token.errors';
import { Role, isRole } from './roles';

/**
 * What an access token must be, in one place: the algorithm, issuer and audience jsonwebtoken
 * pins (through passport-jwt), and the claims every token must carry.
 */

/** Access tokens are signed with ES256 only; anything else (none, HS256, RS256) is refused. */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';

export interface TokenVerificationConfig {
  AUTH_JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
}

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

/** The checks jsonwebtoken makes of signature and registered claims (it also checks exp and nbf). */
export function pinnedVerifyOptions(config: Pick<TokenVerificationConfig, 'JWT_ISSUER' | 'JWT_AUDIENCE'>) {
  return {
    algorithms: [ACCESS_TOKEN_ALGORITHM] satisfies Algorithm[],
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ignoreExpiration: false,
  };
}

// jsonwebtoken checks exp only when present and never requires sub, iat or jti: required here.
const REQUIRED_CLAIMS = { sub: 'string', jti: 'string', exp: 'number', iat: 'number' } as const;

/** The claims of a payload whose signature and registered claims were verified; throws when one is missing. */
export function claimsFromPayload(payload: JwtPayload): AccessTokenClaims {
  for (const [claim, type] of Object.entries(REQUIRED_CLAIMS)) {
    const value = payload[claim];
    if (typeof value !== type || value === '') throw new InvalidAccessTokenError(`The token has no valid ${claim} claim`);
  }
  if (!isRole(payload.role)) throw new InvalidAccessTokenError('The token carries no known role');
  return {
    userId: payload.sub!,
    email: typeof payload.email === 'string' ? payload.email : '',
    role: payload.role,
    tokenId: payload.jti!,
    sessionId: typeof payload.sid === 'string' ? payload.sid : undefined,
    issuedAt: payload.iat!,
    expiresAt: payload.exp!,
  };
}
