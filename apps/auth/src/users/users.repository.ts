import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Role } from '@pm/auth-tokens';
import { DataSource } from 'typeorm';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  passwordHash: string;
  role: Role;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `email` must already be normalized (lower-case): the column only ever holds that spelling. */
  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email });
  }

  /**
   * Inserts the user unless the email is taken, in one statement, so instances seeding at the
   * same time still end with one row; true when this call inserted it.
   */
  async insertIfAbsent(user: NewUser): Promise<boolean> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING
       RETURNING id`,
      [user.email, user.passwordHash, user.role],
    );
    return inserted.length === 1;
  }
}
