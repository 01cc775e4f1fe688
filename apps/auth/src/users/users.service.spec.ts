import { PasswordHasher } from './password-hasher';
import { User } from './user.entity';
import { NewUser, UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { typedFake } from '@pm/testing';

class FakeUsersRepository implements Pick<UsersRepository, 'findByEmail' | 'insertIfAbsent'> {
  readonly rows: NewUser[] = [];

  async findByEmail(email: string): Promise<User | null> {
    const row = this.rows.find((candidate) => candidate.email === email);
    return row ? Object.assign(new User(), { id: 'id', disabled: false, ...row }) : null;
  }

  async insertIfAbsent(user: NewUser): Promise<boolean> {
    if (this.rows.some((row) => row.email === user.email)) return false;
    this.rows.push(user);
    return true;
  }
}

class FakePasswordHasher implements Pick<PasswordHasher, 'hash'> {
  hashed = 0;

  async hash(password: string): Promise<string> {
    this.hashed++;
    return `hashed:${password}`;
  }
}

describe('UsersService.ensureUser', () => {
  it('stores a new user lower-cased with a hash, never the password itself', async () => {
    const repository = new FakeUsersRepository();
    const service = new UsersService(typedFake<UsersRepository>(repository), typedFake<PasswordHasher>(new FakePasswordHasher()));
    await expect(service.ensureUser({ email: ' Nurse@Test.COM', password: 'password123', role: 'NURSE' })).resolves.toBe(true);
    expect(repository.rows).toEqual([{ email: 'nurse@test.com', passwordHash: 'hashed:password123', role: 'NURSE' }]);
  });

  it('leaves an existing user untouched and spends no hash on it', async () => {
    const repository = new FakeUsersRepository();
    const hasher = new FakePasswordHasher();
    const service = new UsersService(typedFake<UsersRepository>(repository), typedFake<PasswordHasher>(hasher));
    await service.ensureUser({ email: 'nurse@test.com', password: 'first', role: 'NURSE' });
    await expect(service.ensureUser({ email: 'NURSE@test.com', password: 'second', role: 'ADMIN' })).resolves.toBe(false);
    expect(repository.rows).toEqual([{ email: 'nurse@test.com', passwordHash: 'hashed:first', role: 'NURSE' }]);
    expect(hasher.hashed).toBe(1);
  });
});
