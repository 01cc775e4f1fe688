import { DomainError } from '@pm/platform';

/** One error for an unknown email, a wrong password and a disabled account alike, so none can be told apart. */
export class InvalidCredentialsError extends DomainError {
  static readonly spec = {
    code: 'LOGIN_INVALID_CREDENTIALS',
    status: 401,
    description: 'Unknown email, wrong password or disabled account (one answer for all)',
    detail: 'Invalid email or password',
  };
}

/** Too many failed logins for the account from this address, or from this address over all accounts. */
export class LoginThrottledError extends DomainError {
  static readonly spec = { code: 'LOGIN_THROTTLED', status: 429, description: 'Too many failed logins; Retry-After says how many seconds to wait' };

  constructor(
    readonly retryAfterSeconds: number,
    readonly kind: 'pair' | 'address',
  ) {
    super(
      kind === 'pair'
        ? `Too many failed logins for this account from this address; try again in ${retryAfterSeconds} seconds`
        : `Too many failed logins from this address; try again in ${retryAfterSeconds} seconds`,
      { headers: { 'Retry-After': String(retryAfterSeconds) } },
    );
  }
}

/** Redis is unavailable: each instance then throttles in memory, which cannot be listed. */
export class ThrottleStoreUnavailableError extends DomainError {
  static readonly spec = {
    code: 'LOGIN_THROTTLES_UNAVAILABLE',
    status: 503,
    description: 'Redis is unavailable, so the login throttles cannot be listed',
    detail: 'Redis is unavailable: the login throttles cannot be listed now',
  };
}

/** No login throttle has this key (it may have expired). */
export class LoginThrottleNotFoundError extends DomainError {
  static readonly spec = {
    code: 'LOGIN_THROTTLE_NOT_FOUND',
    status: 404,
    description: 'No login throttle has this key (it may have expired)',
    detail: 'No login throttle has this key',
  };
}

export const LoginErrors = {
  InvalidCredentials: InvalidCredentialsError,
  Throttled: LoginThrottledError,
  ThrottlesUnavailable: ThrottleStoreUnavailableError,
  ThrottleNotFound: LoginThrottleNotFoundError,
} as const;
