import { Logger } from '@nestjs/common';
import { SessionsService } from '../sessions/sessions.service';
import { PasswordHasher } from '../users/password-hasher';
import { PasswordPolicy } from '../users/password-policy';
import { User } from '../users/user.entity';
import { NewUser, UserChanges, UserPage, UsersRepository } from '../users/users.repository';
import { RevocationUnavailableError } from '../sessions/sessions.errors';
import {
  EmailTakenError,
  SelfLockoutError,
  TokenUserGoneError,
  UserNotFoundError,
  UserTokensNotRevokedError,
  WeakPasswordError,
} from './user-management.errors';
import { UserManagementService } from './user-management.service';
import { typedFake } from '@pm/testing';

/** Users in memory; records every change and every session ending in one log, so their order shows. */
class FakeUsersRepository implements Pick<UsersRepository, 'insert' | 'findById' | 'update' | 'page'> {
  readonly users: User[] = [];

  constructor(private readonly events: string[]) {}

  async insert(user: NewUser): Promise<User | null> {
    if (this.users.some((existing) => existing.email === user.email)) return null;
    const created = Object.assign(new User(), { id: `user-${this.users.length + 1}`, disabled: false, ...user });
    this.users.push(created);
    return created;
  }

  async findById(id: string): Promise<User | null> {
    return this.users.find((user) => user.id === id) ?? null;
  }

  async update(id: string, changes: UserChanges): Promise<User | null> {
    const user = await this.findById(id);
    if (!user) return null;
    Object.assign(user, changes);
    this.events.push(`update ${id} ${Object.keys(changes).join(',')}`);
    return user;
  }

  async page(page: number, size: number): Promise<UserPage> {
    return { users: this.users.slice((page - 1) * size, page * size), totalElements: this.users.length };
  }
}

class FakeSessions implements Pick<SessionsService, 'endAllSessionsOf'> {
  /** When set, ending sessions fails with it (e.g. the revocation list's Redis is down). */
  failWith?: Error;

  constructor(private readonly events: string[]) {}

  async endAllSessionsOf(userId: string): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.events.push(`end sessions ${userId}`);
  }
}

class FakePasswordHasher implements Pick<PasswordHasher, 'hash'> {
  async hash(password: string): Promise<string> {
    return `hashed:${password}`;
  }
}

const GOOD_PASSWORD = 'correct horse battery staple';

// The real policy (a rule without I/O), made once: its dictionaries take a moment to load.
const policy = new PasswordPolicy(3);

describe('UserManagementService', () => {
  let events: string[];
  let users: FakeUsersRepository;
  let sessions: FakeSessions;
  let service: UserManagementService;
  let admin: User;
  let nurse: User;

  beforeEach(async () => {
    events = [];
    users = new FakeUsersRepository(events);
    service = new UserManagementService(
      typedFake<UsersRepository>(users),
      typedFake<PasswordHasher>(new FakePasswordHasher()),
      typedFake<SessionsService>((sessions = new FakeSessions(events))),
      policy,
    );
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    admin = await service.create({ email: 'admin@clinic.example', password: GOOD_PASSWORD, role: 'ADMIN' });
    nurse = await service.create({ email: 'nurse@clinic.example', password: GOOD_PASSWORD, role: 'NURSE' });
  });

  afterEach(() => jest.restoreAllMocks());

  describe('create', () => {
    it('stores the email lower-cased and a hash of the password', async () => {
      const user = await service.create({ email: ' New.Doctor@Clinic.EXAMPLE ', password: GOOD_PASSWORD, role: 'DOCTOR' });
      expect(user).toMatchObject({ email: 'new.doctor@clinic.example', passwordHash: `hashed:${GOOD_PASSWORD}`, role: 'DOCTOR', disabled: false });
    });

    it('refuses a taken email whatever its case', async () => {
      await expect(service.create({ email: 'NURSE@clinic.example', password: GOOD_PASSWORD, role: 'NURSE' })).rejects.toThrow(EmailTakenError);
    });

    it('refuses a weak password with the policy message, storing nothing', async () => {
      const refused = service.create({ email: 'sam@clinic.example', password: 'short', role: 'NURSE' });
      await expect(refused).rejects.toThrow(new WeakPasswordError('password must be at least 12 characters'));
      await expect(service.create({ email: 'samantha@clinic.example', password: 'i-am-samantha-1', role: 'NURSE' })).rejects.toThrow(
        'password must not contain the name part of the email address',
      );
      expect(users.users).toHaveLength(2);
    });

    it.each(['password123password123', 'qwertyuiopas'])('refuses %j as too easy to guess, saying why', async (password) => {
      await expect(service.create({ email: 'sam@clinic.example', password, role: 'NURSE' })).rejects.toThrow(/too easy to guess.*\S/);
      await expect(service.resetPassword(nurse.id, password)).rejects.toThrow(WeakPasswordError);
      expect(users.users).toHaveLength(2);
      expect(events).toEqual([]);
    });
  });

  describe('changes that must apply at once', () => {
    it('disables the user, then ends their sessions', async () => {
      await expect(service.disable(admin.id, nurse.id)).resolves.toMatchObject({ id: nurse.id, disabled: true });
      expect(events).toEqual([`update ${nurse.id} disabled`, `end sessions ${nurse.id}`]);
    });

    it('changes the role, then ends the sessions', async () => {
      await expect(service.changeRole(admin.id, nurse.id, 'DOCTOR')).resolves.toMatchObject({ role: 'DOCTOR' });
      expect(events).toEqual([`update ${nurse.id} role`, `end sessions ${nurse.id}`]);
    });

    it("resets the password (checked against that user's email), then ends the sessions", async () => {
      await expect(service.resetPassword(nurse.id, 'nurse-forever-2030')).rejects.toThrow(WeakPasswordError);
      expect(events).toEqual([]);
      await service.resetPassword(nurse.id, 'a brand new passphrase');
      expect(nurse.passwordHash).toBe('hashed:a brand new passphrase');
      expect(events).toEqual([`update ${nurse.id} passwordHash`, `end sessions ${nurse.id}`]);
    });

    it('enables without ending anything (a disabled user has no working tokens)', async () => {
      await service.enable(nurse.id);
      expect(events).toEqual([`update ${nurse.id} disabled`]);
    });
  });

  it('keeps an admin from disabling themselves or changing their own role', async () => {
    await expect(service.disable(admin.id, admin.id)).rejects.toThrow(SelfLockoutError);
    await expect(service.changeRole(admin.id, admin.id, 'NURSE')).rejects.toThrow(SelfLockoutError);
    expect(events).toEqual([]);
  });

  it.each([
    ['get', (s: UserManagementService) => s.get('missing')],
    ['disable', (s: UserManagementService) => s.disable('admin', 'missing')],
    ['enable', (s: UserManagementService) => s.enable('missing')],
    ['changeRole', (s: UserManagementService) => s.changeRole('admin', 'missing', 'NURSE')],
    ['resetPassword', (s: UserManagementService) => s.resetPassword('missing', GOOD_PASSWORD)],
  ])('%s of an unknown user is UserNotFoundError, ending no session', async (_name, act) => {
    await expect(act(service)).rejects.toThrow(UserNotFoundError);
    expect(events).toEqual([]);
  });

  it('answers TokenUserGoneError (a 401, not a 404) for the bearer of a token whose user is gone', async () => {
    await expect(service.currentUser(nurse.id)).resolves.toBe(nurse);
    await expect(service.currentUser('deleted-user')).rejects.toThrow(TokenUserGoneError);
  });

  it('finds an active doctor only: not a disabled doctor, another role or an unknown id', async () => {
    const doctor = await service.create({ email: 'doctor@clinic.example', password: GOOD_PASSWORD, role: 'DOCTOR' });
    const retired = await service.create({ email: 'retired@clinic.example', password: GOOD_PASSWORD, role: 'DOCTOR' });
    await service.disable(admin.id, retired.id);
    await expect(service.activeDoctor(doctor.id)).resolves.toBe(doctor);
    await expect(service.activeDoctor(retired.id)).resolves.toBeNull();
    await expect(service.activeDoctor(nurse.id)).resolves.toBeNull();
    await expect(service.activeDoctor('missing')).resolves.toBeNull();
  });

  it('keeps the change but answers UserTokensNotRevokedError when the revocation list is unavailable', async () => {
    const outage = new RevocationUnavailableError(new Error('Redis is down'));
    sessions.failWith = outage;
    const refused = service.disable(admin.id, nurse.id);
    await expect(refused).rejects.toThrow(UserTokensNotRevokedError);
    await expect(refused).rejects.toMatchObject({ cause: outage });
    // Saved: repeating the request is what revokes the tokens.
    expect(nurse.disabled).toBe(true);
    expect(events).toEqual([`update ${nurse.id} disabled`]);
  });

  it('passes on any other failure to end the sessions unchanged', async () => {
    const bug = new Error('unexpected');
    sessions.failWith = bug;
    await expect(service.changeRole(admin.id, nurse.id, 'DOCTOR')).rejects.toBe(bug);
  });
});
