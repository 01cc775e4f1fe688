import { DomainError } from '@pm/platform';

// The message of each says why (for logs and tests); the client's detail is the same for all of a kind.

/** The token is not one this system issued, or no longer valid: a 401. */
export class InvalidAccessTokenError extends DomainError {
  static readonly spec = { code: 'ACCESS_TOKEN_INVALID', status: 401, description: 'The access token is invalid, expired or revoked' };

  constructor(reason: string) {
    super('The access token is invalid or expired', { message: reason });
  }
}

/** The token was valid but has been revoked (logout, disabled user): a 401 like any bad token. */
export class RevokedAccessTokenError extends InvalidAccessTokenError {}

/** No bearer token came with the request. */
export class MissingAccessTokenError extends DomainError {
  static readonly spec = {
    code: 'ACCESS_TOKEN_MISSING',
    status: 401,
    description: 'No bearer access token was sent',
    detail: 'A bearer access token is required',
  };
}

/** The token could not be checked (keys or revocation list unreachable): a 503, not a 401. */
export class TokenVerificationUnavailableError extends DomainError {
  static readonly spec = { code: 'ACCESS_TOKEN_UNVERIFIABLE', status: 503, description: 'The token cannot be checked right now (keys or revocation list unreachable)' };

  constructor(reason: string) {
    super('Access tokens cannot be verified right now', { message: reason });
  }
}

/** The keys could not be fetched (auth down or slow): the token may be fine, so not a 401. */
export class TokenKeysUnavailableError extends TokenVerificationUnavailableError {}

export const AccessTokenErrors = {
  Invalid: InvalidAccessTokenError,
  Missing: MissingAccessTokenError,
  Unverifiable: TokenVerificationUnavailableError,
} as const;
