import { DomainError } from '@pm/platform';

/** No user has this id. */
export class UserNotFoundError extends DomainError {
  static readonly spec = { code: 'USER_NOT_FOUND', status: 404, description: 'No user has this id' };

  constructor(readonly userId: string) {
    super(`No user with id ${userId}`);
  }
}

/** Another user already has this email. */
export class EmailTakenError extends DomainError {
  static readonly spec = { code: 'USER_EMAIL_TAKEN', status: 409, description: 'Another user has this email' };

  constructor() {
    super('A user with this email already exists', { fields: { errors: { email: 'email is already taken' } } });
  }
}

/** The password breaks the password policy; `message` (and `errors.password`) says which rule. */
export class WeakPasswordError extends DomainError {
  static readonly spec = {
    code: 'USER_PASSWORD_WEAK',
    status: 400,
    description: 'The password breaks the password policy (errors.password says which rule)',
  };

  constructor(rule: string) {
    super('The password is not acceptable', { fields: { errors: { password: rule } }, message: rule });
  }
}

/** An admin tried to lock themselves out (disable themselves or change their own role). */
export class SelfLockoutError extends DomainError {
  static readonly spec = { code: 'USER_SELF_LOCKOUT', status: 400, description: 'An admin may not disable themselves or change their own role' };

  constructor(reason: string) {
    super(reason, { fields: { errors: { id: reason } } });
  }
}

/** The change is saved but the user's tokens could not be revoked: repeating the request revokes them. */
export class UserTokensNotRevokedError extends DomainError {
  static readonly spec = {
    code: 'USER_TOKENS_NOT_REVOKED',
    status: 503,
    description: "The change is saved but the user's tokens could not be revoked yet; repeat the request",
  };

  constructor(cause: unknown) {
    super("The change is saved but the user's tokens could not be revoked yet; repeat the request", { cause });
  }
}

/** A valid access token of a user that no longer exists proves nothing about its bearer: a 401. */
export class TokenUserGoneError extends DomainError {
  static readonly spec = {
    code: 'USER_OF_TOKEN_GONE',
    status: 401,
    description: 'The access token names a user that no longer exists',
    detail: 'A valid access token is required',
  };
}

/** No active user with the DOCTOR role has this id. */
export class DoctorNotFoundError extends DomainError {
  static readonly spec = { code: 'DOCTOR_NOT_FOUND', status: 404, description: 'No active user with the DOCTOR role has this id' };

  constructor(doctorId: string) {
    super(`No active doctor ${doctorId}`);
  }
}

export const UserErrors = {
  NotFound: UserNotFoundError,
  EmailTaken: EmailTakenError,
  WeakPassword: WeakPasswordError,
  SelfLockout: SelfLockoutError,
  TokensNotRevoked: UserTokensNotRevokedError,
  TokenUserGone: TokenUserGoneError,
  DoctorNotFound: DoctorNotFoundError,
} as const;
