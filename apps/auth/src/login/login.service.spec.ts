import { Logger } from '@nestjs/common';
import { IssuedSession, SessionsService } from '../sessions/sessions.service';
import { TokenSubject } from '../tokens/access-token.issuer';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { LoginAttempt, LoginThrottle } from './login-throttle';
import { LoginMetrics, LoginOutcome } from './login.metrics';
import { InvalidCredentialsError, LoginService, LoginThrottledError } from './login.service';

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

/** Answers the decision it is given; records what it was asked. */
class FakeLoginThrottle implements Pick<LoginThrottle, 'attempt' | 'succeeded'> {
  decision: LoginAttempt = { throttled: false, accountKey: 'account-key', ipKey: 'ip-key', counted: true };
  readonly attempts: [string, string][] = [];
  readonly successes: LoginAttempt[] = [];

  async attempt(email: string, ip: string): Promise<LoginAttempt> {
    this.attempts.push([email, ip]);
    return this.decision;
  }

  async succeeded(attempt: LoginAttempt): Promise<void> {
    this.successes.push(attempt);
  }
}

const IP = '203.0.113.7';

describe('LoginService', () => {
  let users: FakeUsersRepository;
  let passwords: FakePasswordHasher;
  let metrics: FakeLoginMetrics;
  let sessions: FakeSessions;
  let throttle: FakeLoginThrottle;
  let service: LoginService;
  let doctor: User;

  beforeEach(async () => {
    users = new FakeUsersRepository();
    passwords = new FakePasswordHasher();
    metrics = new FakeLoginMetrics();
    sessions = new FakeSessions();
    throttle = new FakeLoginThrottle();
    service = new LoginService(
      users as unknown as UsersRepository,
      passwords as unknown as PasswordHasher,
      sessions as unknown as SessionsService,
      throttle as unknown as LoginThrottle,
      metrics as unknown as LoginMetrics,
    );
    doctor = users.add({ email: 'doctor@test.com', passwordHash: 'hashed:password123', role: 'DOCTOR' });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('starts a session for the user and tells the throttle the attempt succeeded', async () => {
    const session = await service.login({ email: 'doctor@test.com', password: 'password123', ip: IP });
    expect(session.refreshToken).toBe('refresh-1');
    expect(sessions.started).toEqual([{ id: doctor.id, email: 'doctor@test.com', role: 'DOCTOR' }]);
    expect(throttle.attempts).toEqual([['doctor@test.com', IP]]);
    expect(throttle.successes).toEqual([throttle.decision]);
    expect(metrics.outcomes).toEqual(['success']);
  });

  it('matches the email whatever its case and surrounding spaces, and throttles by that one spelling', async () => {
    await expect(service.login({ email: '  Doctor@TEST.com ', password: 'password123', ip: IP })).resolves.toHaveProperty('sessionId');
    expect(users.lookedUp).toEqual(['doctor@test.com']);
    expect(throttle.attempts).toEqual([['doctor@test.com', IP]]);
  });

  it('refuses a throttled attempt before looking up the user or checking any password', async () => {
    throttle.decision = { throttled: true, retryAfterSeconds: 42 };
    const refused = service.login({ email: 'doctor@test.com', password: 'password123', ip: IP });
    await expect(refused).rejects.toThrow(LoginThrottledError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 42 });
    expect(users.lookedUp).toEqual([]);
    expect(passwords.verifications).toBe(0);
    expect(sessions.started).toEqual([]);
    expect(metrics.outcomes).toEqual(['throttled']);
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
    // The failure stays counted: only a success is reported back to the throttle.
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
