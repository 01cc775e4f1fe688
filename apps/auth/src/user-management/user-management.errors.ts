/** No user has this id. */
export class UserNotFoundError extends Error {
  constructor(readonly userId: string) {
    super(`No user with id ${userId}`);
  }
}

/** Another user already has this email. */
export class EmailTakenError extends Error {
  constructor() {
    super('A user with this email already exists');
  }
}

/** The password breaks the password policy; `message` says which rule. */
export class WeakPasswordError extends Error {}

/** An admin tried to lock themselves out (disable themselves or change their own role). */
export class SelfLockoutError extends Error {}
