import { Logger } from '@nestjs/common';
import { FakeClock, typedFake } from '@pm/testing';
import { IssuedSession, SessionsService } from '../sessions/sessions.service';
import { TokenSubject } from '../tokens/access-token.issuer';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { LoginThrottle, LoginVerdict, unknownAccount } from './login-throttle';
import { LoginMetrics, LoginOutcome } from './login.metrics';
import { InvalidCredentialsError, LoginThrottledError } from './login.errors';
import { LoginService } from './login.service';

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

class FakeSessions implements Pick<SessionsService, 'start'> {
  readonly started: TokenSubject[] = [];

  async start(user: TokenSubject): Promise<IssuedSession> {
    this.started.push(user);
    return {
      sessionId: `session-${this.started.length}`,
      refreshToken: `refresh-${this.started.length}`,
      accessToken: { token: `access-${this.started.length}`, tokenId: `jti-${this.started.length}`, expiresIn: 900, expiresAt: 0 },
    };
  }
}

/** Answers the verdict it is given; records what it was told. */
class FakeLoginThrottle implements Pick<LoginThrottle, 'check' | 'failed' | 'succeeded'> {
  verdict: LoginVerdict = { refused: false, delayMs: 0 };
  readonly checks: [string, string][] = [];
  readonly failures: string[] = [];
  readonly successes: [string, string][] = [];

  async check(account: string, address: string): Promise<LoginVerdict> {
    this.checks.push([account, address]);
    return this.verdict;
  }

  async failed(account: string): Promise<void> {
    this.failures.push(account);
  }

  async succeeded(account: string, address: string): Promise<void> {
    this.successes.push([account, address]);
  }
}

const IP = '203.0.113.7';

describe('LoginService', () => {
  let users: FakeUsersRepository;
  let passwords: FakePasswordHasher;
  let metrics: FakeLoginMetrics;
  let sessions: FakeSessions;
  let throttle: FakeLoginThrottle;
  let clock: FakeClock;
  let service: LoginService;
  let doctor: User;

  beforeEach(async () => {
    users = new FakeUsersRepository();
    passwords = new FakePasswordHasher();
    metrics = new FakeLoginMetrics();
    sessions = new FakeSessions();
    throttle = new FakeLoginThrottle();
    clock = new FakeClock(5_000);
    service = new LoginService(
      typedFake<UsersRepository>(users),
      typedFake<PasswordHasher>(passwords),
      typedFake<SessionsService>(sessions),
      typedFake<LoginThrottle>(throttle),
      typedFake<LoginMetrics>(metrics),
      clock,
    );
    doctor = users.add({ email: 'doctor@test.com', passwordHash: 'hashed:password123', role: 'DOCTOR' });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('starts a session for the user and tells the throttle the attempt succeeded (by user id and address)', async () => {
    const session = await service.login({ email: 'doctor@test.com', password: 'password123', ip: IP });
    expect(session.refreshToken).toBe('refresh-1');
    expect(sessions.started).toEqual([{ id: doctor.id, email: 'doctor@test.com', role: 'DOCTOR' }]);
    expect(throttle.checks).toEqual([[doctor.id, IP]]);
    expect(throttle.successes).toEqual([[doctor.id, IP]]);
    expect(throttle.failures).toEqual([]);
    expect(metrics.outcomes).toEqual(['success']);
  });

  it('matches the email whatever its case and surrounding spaces; an unknown email is throttled by its hash', async () => {
    await expect(service.login({ email: '  Doctor@TEST.com ', password: 'password123', ip: IP })).resolves.toHaveProperty('sessionId');
    expect(users.lookedUp).toEqual(['doctor@test.com']);
    await expect(service.login({ email: ' Ghost@TEST.com', password: 'x', ip: IP })).rejects.toThrow(InvalidCredentialsError);
    expect(throttle.checks).toEqual([
      [doctor.id, IP],
      [unknownAccount('ghost@test.com'), IP],
    ]);
    expect(throttle.failures).toEqual([unknownAccount('ghost@test.com')]);
  });

  it('refuses a throttled attempt before checking any password, and does not count it as a failure', async () => {
    throttle.verdict = { refused: true, kind: 'pair', retryAfterSeconds: 42 };
    const refused = service.login({ email: 'doctor@test.com', password: 'password123', ip: IP });
    await expect(refused).rejects.toThrow(LoginThrottledError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 42, kind: 'pair' });
    expect(passwords.verifications).toBe(0);
    expect(sessions.started).toEqual([]);
    expect(throttle.failures).toEqual([]);
    expect(metrics.outcomes).toEqual(['throttled']);
  });

  it("waits the account's delay before checking the password, then lets the right one in", async () => {
    throttle.verdict = { refused: false, delayMs: 4_000 };
    await expect(service.login({ email: 'doctor@test.com', password: 'password123', ip: IP })).resolves.toHaveProperty('sessionId');
    expect(clock.waitedUntil).toEqual([5_000 + 4_000]);
    expect(metrics.outcomes).toEqual(['success']);
  });

  it.each([
    ['a wrong password', { email: 'doctor@test.com', password: 'wrong' }],
    ['an unknown email', { email: 'nobody@test.com', password: 'password123' }],
    ['a disabled account with the right password', { email: 'disabled@test.com', password: 'password123' }],
  ])('refuses %s with the one same error, after exactly one password verification', async (_case, command) => {
    users.add({ email: 'disabled@test.com', passwordHash: 'hashed:password123', role: 'NURSE', disabled: true });
    await expect(service.login({ ...command, ip: IP })).rejects.toThrow(new InvalidCredentialsError());
    expect(passwords.verifications).toBe(1);
    expect(metrics.outcomes).toEqual(['failure']);
    expect(throttle.failures).toHaveLength(1);
    expect(throttle.successes).toEqual([]);
    expect(sessions.started).toEqual([]);
  });

  it('logs outcome, user id (or "unknown") and IP, never the email or the password', async () => {
    await service.login({ email: 'doctor@test.com', password: 'password123', ip: IP });
    await service.login({ email: 'doctor@test.com', password: 'Wrong-Secret', ip: IP }).catch(() => undefined);
    await service.login({ email: 'stranger@test.com', password: 'Other-Secret', ip: IP }).catch(() => undefined);
    const logged = JSON.stringify([
      ...jest.mocked(Logger.prototype.log).mock.calls,
      ...jest.mocked(Logger.prototype.warn).mock.calls,
    ]);
    expect(jest.mocked(Logger.prototype.warn)).toHaveBeenCalledTimes(2);
    expect(logged).toContain(doctor.id);
    expect(jest.mocked(Logger.prototype.warn).mock.calls.map(([fields]) => fields)).toEqual([
      { outcome: 'failure', reason: 'wrong_password', userId: doctor.id, ip: IP },
      { outcome: 'failure', reason: 'unknown_email', userId: 'unknown', ip: IP },
    ]);
    expect(jest.mocked(Logger.prototype.log).mock.calls[0][0]).toMatchObject({ outcome: 'success', userId: doctor.id, ip: IP });
    for (const secret of ['doctor@test.com', 'stranger@test.com', 'password123', 'Wrong-Secret', 'Other-Secret']) {
      expect(logged).not.toContain(secret);
    }
  });
});
