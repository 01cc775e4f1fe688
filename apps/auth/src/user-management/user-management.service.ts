import { Injectable, Logger } from '@nestjs/common';
import type { Role } from '@pm/auth-tokens';
import { RevocationUnavailableError } from '../sessions/sessions.errors';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher';
import { PasswordPolicy } from '../users/password-policy';
import { User, normalizeEmail } from '../users/user.entity';
import { UserChanges, UserPage, UsersRepository } from '../users/users.repository';
import {
  EmailTakenError,
  SelfLockoutError,
  TokenUserGoneError,
  UserNotFoundError,
  UserTokensNotRevokedError,
  WeakPasswordError,
} from './user-management.errors';

export interface NewAccount {
  email: string;
  password: string;
  role: Role;
}

/**
 * What an ADMIN does to accounts. Every change that affects what a user's tokens allow (disable,
 * role, password) first changes the user, then ends all their sessions, so it applies at once.
 */
@Injectable()
export class UserManagementService {
  private readonly logger = new Logger(UserManagementService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly policy: PasswordPolicy,
  ) {}

  async create(account: NewAccount): Promise<User> {
    const email = normalizeEmail(account.email);
    this.checkPassword(account.password, email);
    const user = await this.users.insert({ email, passwordHash: await this.passwords.hash(account.password), role: account.role });
    if (!user) throw new EmailTakenError();
    this.logger.log({ userId: user.id, role: user.role }, 'User created');
    return user;
  }

  list(page: number, size: number): Promise<UserPage> {
    return this.users.page(page, size);
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new UserNotFoundError(id);
    return user;
  }

  /** The bearer of a valid access token; a user since deleted is a 401, not a 404. */
  async currentUser(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new TokenUserGoneError();
    return user;
  }

  /** The user when it is an enabled DOCTOR, else null. */
  async activeDoctor(id: string): Promise<User | null> {
    const user = await this.users.findById(id);
    return user && user.role === 'DOCTOR' && !user.disabled ? user : null;
  }

  async disable(actorId: string, id: string): Promise<User> {
    if (actorId === id) throw new SelfLockoutError('An admin cannot disable their own account');
    return this.changeAndEndSessions(id, { disabled: true });
  }

  /** Enabling gives no token back: the user logs in again. */
  async enable(id: string): Promise<User> {
    return this.change(id, { disabled: false });
  }

  async changeRole(actorId: string, id: string, role: Role): Promise<User> {
    if (actorId === id) throw new SelfLockoutError('An admin cannot change their own role');
    return this.changeAndEndSessions(id, { role });
  }

  async resetPassword(id: string, password: string): Promise<void> {
    const user = await this.get(id);
    this.checkPassword(password, user.email);
    await this.changeAndEndSessions(id, { passwordHash: await this.passwords.hash(password) });
  }

  private checkPassword(password: string, email: string): void {
    const problem = this.policy.problem(password, email);
    if (problem) throw new WeakPasswordError(problem);
  }

  private async changeAndEndSessions(id: string, changes: UserChanges): Promise<User> {
    const user = await this.change(id, changes);
    try {
      await this.sessions.endAllSessionsOf(id);
    } catch (error) {
      // The change itself is saved: unlike a logout, repeating the request is what revokes the tokens.
      if (error instanceof RevocationUnavailableError) throw new UserTokensNotRevokedError(error);
      throw error;
    }
    return user;
  }

  private async change(id: string, changes: UserChanges): Promise<User> {
    const user = await this.users.update(id, changes);
    if (!user) throw new UserNotFoundError(id);
    this.logger.log({ userId: id, changed: Object.keys(changes) }, 'User changed');
    return user;
  }
}
