import { Injectable, Logger } from '@nestjs/common';
import { IssuedSession, SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher';
import { normalizeEmail } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { Clock } from '@pm/platform';
import { LoginThrottle, unknownAccount } from './login-throttle';
import { InvalidCredentialsError, LoginThrottledError } from './login.errors';
import { LoginMetrics } from './login.metrics';

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
    private readonly clock: Clock,
  ) {}

  async login(command: LoginCommand): Promise<IssuedSession> {
    const email = normalizeEmail(command.email);
    const user = await this.users.findByEmail(email);
    const account = user?.id ?? unknownAccount(email);
    const verdict = await this.throttle.check(account, command.ip);
    if (verdict.refused) {
      this.metrics.record('throttled');
      this.logger.warn({ outcome: 'throttled', throttle: verdict.kind, userId: user?.id ?? 'unknown', ip: command.ip }, 'Login throttled');
      throw new LoginThrottledError(verdict.retryAfterSeconds, verdict.kind);
    }
    // An account under attack from many addresses is slowed, never refused: its owner still gets in.
    if (verdict.delayMs > 0) await this.clock.waitUntil(this.clock.now().getTime() + verdict.delayMs);

    // Every path runs exactly one argon2 verification, so response time does not reveal which emails exist.
    if (!user) {
      await this.passwords.verifyAgainstDummy(command.password);
      return this.fail(account, command.ip, 'unknown_email');
    }
    const passwordMatches = await this.passwords.verify(user.passwordHash, command.password);
    if (!passwordMatches) return this.fail(account, command.ip, 'wrong_password', user.id);
    if (user.disabled) return this.fail(account, command.ip, 'disabled', user.id);

    await this.throttle.succeeded(account, command.ip);
    const session = await this.sessions.start({ id: user.id, email: user.email, role: user.role });
    this.metrics.record('success');
    this.logger.log(
      { outcome: 'success', userId: user.id, ip: command.ip, sessionId: session.sessionId, tokenId: session.accessToken.tokenId },
      'Login succeeded',
    );
    return session;
  }

  private async fail(account: string, ip: string, reason: FailureReason, userId = 'unknown'): Promise<never> {
    await this.throttle.failed(account);
    this.metrics.record('failure');
    // The email is never logged: for an unknown one it may be a mistyped password.
    this.logger.warn({ outcome: 'failure', reason, userId, ip }, 'Login failed');
    throw new InvalidCredentialsError();
  }
}
