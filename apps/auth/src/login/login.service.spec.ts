import { Logger } from '@nestjs/common';
import { AccessTokenVerifier } from '@pm/auth-tokens';
import { createLocalJWKSet } from 'jose';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { SigningKeys } from '../tokens/signing-keys';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { LoginMetrics, LoginOutcome } from './login.metrics';
import { InvalidCredentialsError, LoginService } from './login.service';

class FakeUsersRepository implements Pick<UsersRepository, 'findByEmail'> {
  readonly users: User[] = [];
  readonly lookedUp: string[] = [];

  add(fields: Partial<User> & Pick<User, 'email' | 'passwordHash' | 'role'>): User {
    const user = Object.assign(new User(), {
      id: `00000000-0000-4000-8000-00000000000${this.users.length + 1}`,
      disabled: false,
      createdAt: new Date(),
      updatedAt: new Date(),
      ...fields,
    });
    this.users.push(user);
    return user;
  }

  async findByEmail(email: string): Promise<User | null> {
    this.lookedUp.push(email);
    return this.users.find((user) => user.email === email) ?? null;
  }
}

/** Hashes are `hashed:<password>`; counts verifications so the same-cost rule can be checked. */
class FakePasswordHasher implements Pick<PasswordHasher, 'hash' | 'verify' | 'verifyAgainstDummy'> {
  verifications = 0;

  async hash(password: string): Promise<string> {
    return `hashed:${password}`;
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    this.verifications++;
    return passwordHash === `hashed:${password}`;
  }

  async verifyAgainstDummy(): Promise<false> {
    this.verifications++;
    return false;
  }
}

class FakeLoginMetrics implements Pick<LoginMetrics, 'record'> {
  readonly outcomes: LoginOutcome[] = [];

  record(outcome: LoginOutcome): void {
    this.outcomes.push(outcome);
  }
}

const settings = { issuer: 'patient-management-auth', audience: 'patient-management', ttlSeconds: 900 };

describe('LoginService', () => {
  let users: FakeUsersRepository;
  let passwords: FakePasswordHasher;
  let metrics: FakeLoginMetrics;
  let service: LoginService;
  let verifier: AccessTokenVerifier;
  let doctor: User;

  beforeEach(async () => {
    users = new FakeUsersRepository();
    passwords = new FakePasswordHasher();
    metrics = new FakeLoginMetrics();
    const keys = await SigningKeys.ephemeral();
    service = new LoginService(
      users as unknown as UsersRepository,
      passwords as unknown as PasswordHasher,
      new AccessTokenIssuer(keys, settings),
      metrics as unknown as LoginMetrics,
    );
    verifier = new AccessTokenVerifier(
      { AUTH_JWKS_URL: 'http://unused.invalid/jwks.json', JWT_ISSUER: settings.issuer, JWT_AUDIENCE: settings.audience },
      createLocalJWKSet({ keys: keys.publicJwks.map((key) => ({ ...key })) }),
    );
    doctor = users.add({ email: 'doctor@test.com', passwordHash: 'hashed:password123', role: 'DOCTOR' });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('returns a token that verifies and names the user, with the configured lifetime', async () => {
    const issued = await service.login({ email: 'doctor@test.com', password: 'password123' });
    expect(issued.expiresIn).toBe(900);
    const claims = await verifier.verify(issued.token);
    expect(claims).toMatchObject({ userId: doctor.id, email: 'doctor@test.com', role: 'DOCTOR', tokenId: issued.tokenId });
    expect(metrics.outcomes).toEqual(['success']);
  });

  it('matches the email whatever its case and surrounding spaces', async () => {
    await expect(service.login({ email: '  Doctor@TEST.com ', password: 'password123' })).resolves.toHaveProperty('token');
    expect(users.lookedUp).toEqual(['doctor@test.com']);
  });

  it.each([
    ['a wrong password', { email: 'doctor@test.com', password: 'wrong' }],
    ['an unknown email', { email: 'nobody@test.com', password: 'password123' }],
    ['a disabled account with the right password', { email: 'disabled@test.com', password: 'password123' }],
  ])('refuses %s with the one same error, after exactly one password verification', async (_case, command) => {
    users.add({ email: 'disabled@test.com', passwordHash: 'hashed:password123', role: 'NURSE', disabled: true });
    await expect(service.login(command)).rejects.toThrow(new InvalidCredentialsError());
    expect(passwords.verifications).toBe(1);
    expect(metrics.outcomes).toEqual(['failure']);
  });

  it('never logs the email or the password, only the outcome and a user id', async () => {
    await service.login({ email: 'doctor@test.com', password: 'password123' });
    await service.login({ email: 'doctor@test.com', password: 'Wrong-Secret' }).catch(() => undefined);
    await service.login({ email: 'stranger@test.com', password: 'Other-Secret' }).catch(() => undefined);
    const logged = JSON.stringify([
      ...jest.mocked(Logger.prototype.log).mock.calls,
      ...jest.mocked(Logger.prototype.warn).mock.calls,
    ]);
    expect(jest.mocked(Logger.prototype.warn)).toHaveBeenCalledTimes(2);
    expect(logged).toContain(doctor.id);
    for (const secret of ['doctor@test.com', 'stranger@test.com', 'password123', 'Wrong-Secret', 'Other-Secret']) {
      expect(logged).not.toContain(secret);
    }
  });
});
