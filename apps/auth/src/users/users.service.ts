import { Injectable } from '@nestjs/common';
import type { Role } from '@pm/auth-tokens';
import { PasswordHasher } from './password-hasher';
import { normalizeEmail } from './user.entity';
import { UsersRepository } from './users.repository';

export interface UserToEnsure {
  email: string;
  password: string;
  role: Role;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
  ) {}

  /**
   * Creates the user when its email is free; an existing user is left exactly as it is (its
   * password and role are not reset). True when this call created it.
   */
  async ensureUser(user: UserToEnsure): Promise<boolean> {
    const email = normalizeEmail(user.email);
    // Skip the costly hash when the user is already there (the usual case on a restart).
    if (await this.users.findByEmail(email)) return false;
    return this.users.insertIfAbsent({ email, passwordHash: await this.passwords.hash(user.password), role: user.role });
  }
}
