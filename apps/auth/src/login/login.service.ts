import { Injectable, Logger } from '@nestjs/common';
import { IssuedSession, SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher';
import { normalizeEmail } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { LoginThrottle } from './login-throttle';
import { LoginMetrics } from './login.metrics';

/** One error for an unknown email, a wrong password and a disabled account alike, so none can be told apart. */
export class InvalidCredentialsError extends Error {
  constructor() {
    super('Invalid email or password');
  }
}

/** Too many failed logins for the account or from the client IP. */
export class LoginThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed logins; try again in ${retryAfterSeconds} seconds`);
  }
}

export interface LoginCommand {
  email: string;
  password: string;
  /** The client's address (the gateway's X-Forwarded-For, read through the trusted proxies). */
  ip: string;
}

type FailureReason = 'unknown_email' | 'wrong_password' | 'disabled';

@Injectable()
export class LoginService {
  private readonly logger = new Logger(LoginService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly metrics: LoginMetrics,
  ) {}

  async login(command: LoginCommand): Promise<IssuedSession> {
    const email = normalizeEmail(command.email);
    const attempt = await this.throttle.attempt(email, command.ip);
    if (attempt.throttled) {
      this.metrics.record('throttled');
      this.logger.warn({ outcome: 'throttled', userId: 'unknown', ip: command.ip }, 'Login throttled');
      throw new LoginThrottledError(attempt.retryAfterSeconds);
    }

    const user = await this.users.findByEmail(email);
    // Every path runs exactly one argon2 verification, so response time does not reveal which emails exist.
    if (!user) {
      await this.passwords.verifyAgainstDummy(command.password);
      return this.fail(command.ip, 'unknown_email');
    }
    const passwordMatches = await this.passwords.verify(user.passwordHash, command.password);
    if (!passwordMatches) return this.fail(command.ip, 'wrong_password', user.id);
    if (user.disabled) return this.fail(command.ip, 'disabled', user.id);

    await this.throttle.succeeded(attempt);
    const session = await this.sessions.start({ id: user.id, email: user.email, role: user.role });
    this.metrics.record('success');
    this.logger.log(
      { outcome: 'success', userId: user.id, ip: command.ip, sessionId: session.sessionId, tokenId: session.accessToken.tokenId },
      'Login succeeded',
    );
    return session;
  }

  private fail(ip: string, reason: FailureReason, userId = 'unknown'): never {
    this.metrics.record('failure');
    // The email is never logged: for an unknown one it may be a mistyped password.
    this.logger.warn({ outcome: 'failure', reason, userId, ip }, 'Login failed');
    throw new InvalidCredentialsError();
  }
}
