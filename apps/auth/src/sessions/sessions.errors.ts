import { DomainError } from '@pm/platform';

/** One answer for an unknown, expired, used or revoked refresh token and a disabled user alike. */
export class InvalidRefreshTokenError extends DomainError {
  static readonly spec = {
    code: 'SESSION_REFRESH_TOKEN_INVALID',
    status: 401,
    description: 'Unknown, expired, used or revoked refresh token, or a disabled user (one answer for all)',
    detail: 'The refresh token is invalid, expired or revoked',
  };
}

/** Revocations could not be recorded (auth's database): the tokens may still work, so the caller must retry. */
export class RevocationUnavailableError extends DomainError {
  static readonly spec = { code: 'SESSION_REVOCATION_UNAVAILABLE', status: 503, description: 'Tokens could not be revoked right now; retry' };

  constructor(cause: unknown) {
    super('Tokens could not be revoked right now; try again', { cause });
  }
}

export const SessionErrors = { InvalidRefreshToken: InvalidRefreshTokenError, RevocationUnavailable: RevocationUnavailableError } as const;
