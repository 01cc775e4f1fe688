import { Injectable, Logger } from '@nestjs/common';
import { AccessTokenIssuer, IssuedAccessToken } from '../tokens/access-token.issuer';
import { PasswordHasher } from '../users/password-hasher';
import { normalizeEmail } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { LoginMetrics } from './login.metrics';

/** One error for an unknown email, a wrong password and a disabled account alike, so none can be told apart. */
export class InvalidCredentialsError extends Error {
  constructor() {
    super('Invalid email or password');
  }
}

export interface LoginCommand {
  email: string;
  password: string;
}

type FailureReason = 'unknown_email' | 'wrong_password' | 'disabled';

@Injectable()
export class LoginService {
  private readonly logger = new Logger(LoginService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokenIssuer,
    private readonly metrics: LoginMetrics,
  ) {}

  async login(command: LoginCommand): Promise<IssuedAccessToken> {
    const user = await this.users.findByEmail(normalizeEmail(command.email));
    // Every path runs exactly one argon2 verification, so response time does not reveal which emails exist.
    if (!user) {
      await this.passwords.verifyAgainstDummy(command.password);
      return this.fail('unknown_email');
    }
    const passwordMatches = await this.passwords.verify(user.passwordHash, command.password);
    if (!passwordMatches) return this.fail('wrong_password', user.id);
    if (user.disabled) return this.fail('disabled', user.id);

    const issued = await this.tokens.issue({ id: user.id, email: user.email, role: user.role });
    this.metrics.record('success');
    this.logger.log({ outcome: 'success', userId: user.id, tokenId: issued.tokenId }, 'Login succeeded');
    return issued;
  }

  private fail(reason: FailureReason, userId?: string): never {
    this.metrics.record('failure');
    // The email is never logged: for an unknown one it may be a mistyped password.
    this.logger.warn({ outcome: 'failure', reason, ...(userId ? { userId } : {}) }, 'Login failed');
    throw new InvalidCredentialsError();
  }
}
