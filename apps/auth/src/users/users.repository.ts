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

export type UserChanges = Partial<Pick<User, 'disabled' | 'role' | 'passwordHash'>>;

export interface UserPage {
  users: User[];
  totalElements: number;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `email` must already be normalized (lower-case): the column only ever holds that spelling. */
  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email });
  }

  findById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  /** Users ordered by email; `page` counts from 1. */
  async page(page: number, size: number): Promise<UserPage> {
    const [users, totalElements] = await this.dataSource.getRepository(User).findAndCount({
      order: { email: 'ASC' },
      skip: (page - 1) * size,
      take: size,
    });
    return { users, totalElements };
  }

  /**
   * Inserts the user unless the email is taken, in one statement, so instances seeding at the
   * same time still end with one row; true when this call inserted it.
   */
  async insertIfAbsent(user: NewUser): Promise<boolean> {
    return (await this.insert(user)) !== null;
  }

  /** The new user, or null when the email is taken (decided by the unique index, so races are safe). */
  async insert(user: NewUser): Promise<User | null> {
    const inserted: { id: string }[] = await this.dataSource.query(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING
       RETURNING id`,
      [user.email, user.passwordHash, user.role],
    );
    return inserted.length === 1 ? this.findById(inserted[0].id) : null;
  }

  /** The user after the change, or null when there is no such user. */
  async update(id: string, changes: UserChanges): Promise<User | null> {
    const result = await this.dataSource.getRepository(User).update({ id }, changes);
    return result.affected ? this.findById(id) : null;
  }
}
