import { useAuthTestApp } from '../testing/auth-test-app';

interface UserBody {
  id: string;
  email: string;
  role: string;
  disabled: boolean;
}

const STRONG = 'correct horse battery staple';

describe('user management over HTTP (real PostgreSQL and Redis)', () => {
  const auth = useAuthTestApp('auth_int_users');
  let adminToken: string;
  let doctorToken: string;
  let created = 0;

  beforeAll(async () => {
    adminToken = (await auth.tokensFor('testuser@test.com')).token;
    doctorToken = (await auth.tokensFor('doctor@test.com')).token;
  });

  const asAdmin = (method: string, path: string, body?: unknown) => auth.request(method, path, { token: adminToken, body });
  const errorsOf = async (response: Response) => ((await response.json()) as { errors?: Record<string, string> }).errors;
  /** A new user through the API, with a password the policy accepts. */
  const createUser = async (role = 'NURSE', password = STRONG): Promise<UserBody> => {
    const response = await asAdmin('POST', '/users', { email: `staff${++created}.${Date.now()}@clinic.example`, password, role });
    expect(response.status).toBe(201);
    return (await response.json()) as UserBody;
  };

  describe('POST /users', () => {
    it('creates a user: 201, the user without any password, Location through the gateway prefix; the user can log in', async () => {
      const response = await auth.request('POST', '/users', {
        token: adminToken,
        body: { email: 'New.Nurse@Clinic.example', password: STRONG, role: 'NURSE' },
        headers: { 'x-forwarded-prefix': '/auth' },
      });
      expect(response.status).toBe(201);
      const user = (await response.json()) as UserBody;
      expect(user).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: 'new.nurse@clinic.example', role: 'NURSE', disabled: false });
      expect(response.headers.get('location')).toBe(`/auth/users/${user.id}`);
      expect((await auth.login('new.nurse@clinic.example', STRONG)).status).toBe(200);
      expect((await asAdmin('GET', `/users/${user.id}`)).status).toBe(200);
    });

    it('answers 409 naming email when the email is taken, whatever its case', async () => {
      const response = await asAdmin('POST', '/users', { email: 'DOCTOR@test.com', password: STRONG, role: 'DOCTOR' });
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await errorsOf(response)).toEqual({ email: 'email is already taken' });
    });

    it.each([
      [{ email: 'not-an-email', password: STRONG, role: 'NURSE' }, { email: 'email must be a valid email address' }],
      [{ password: STRONG, role: 'NURSE' }, { email: 'email is required' }],
      [{ email: 'x1@clinic.example', password: STRONG, role: 'ROOT' }, { role: 'role must be one of ADMIN, DOCTOR, NURSE, BILLING, ANALYST' }],
      [{ email: 'x2@clinic.example', password: STRONG }, { role: 'role is required' }],
      [{ email: 'x3@clinic.example', role: 'NURSE' }, { password: 'password is required' }],
      [{ email: 'x4@clinic.example', password: 'short-pw', role: 'NURSE' }, { password: 'password must be at least 12 characters' }],
      [{ email: 'x5@clinic.example', password: 'Password2024!', role: 'NURSE' }, { password: expect.stringContaining('too easy to guess') }],
      [
        { email: 'x8@clinic.example', password: 'password123password123', role: 'NURSE' },
        { password: expect.stringMatching(/^password is too easy to guess .*: Repeated character patterns/) },
      ],
      [
        { email: 'x9@clinic.example', password: 'qwertyuiopas', role: 'NURSE' },
        { password: expect.stringMatching(/^password is too easy to guess .*: This is similar to a commonly used password/) },
      ],
      [{ email: 'margaret@clinic.example', password: 'i-am-margaret-77', role: 'NURSE' }, { password: expect.stringContaining('name part of the email') }],
      [{ email: 'x6@clinic.example', password: 'x'.repeat(129), role: 'NURSE' }, { password: 'password must be at most 128 characters' }],
      [{ email: 'x7@clinic.example', password: STRONG, role: 'NURSE', admin: true }, { admin: 'property admin should not exist' }],
      [
        { email: 'not-an-email', password: STRONG, role: 'ROOT' },
        { email: 'email must be a valid email address', role: 'role must be one of ADMIN, DOCTOR, NURSE, BILLING, ANALYST' },
      ],
    ])('answers 400 naming the field for %j', async (body, errors) => {
      const response = await asAdmin('POST', '/users', body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await errorsOf(response)).toEqual(errors);
    });
  });

  describe('GET /users', () => {
    it('pages users by email with the total', async () => {
      const first = (await (await asAdmin('GET', '/users?page=1&size=2')).json()) as { users: UserBody[]; page: number; size: number; totalElements: number };
      const [{ count }] = await auth.dataSource.query('SELECT count(*)::int AS count FROM users');
      expect(first).toMatchObject({ page: 1, size: 2, totalElements: count });
      expect(first.users).toHaveLength(2);
      expect(Object.keys(first.users[0]).sort()).toEqual(['disabled', 'email', 'id', 'role']);
      const second = (await (await asAdmin('GET', '/users?page=2&size=2')).json()) as { users: UserBody[] };
      const emails = [...first.users, ...second.users].map((user) => user.email);
      expect(emails).toEqual([...emails].sort());
      expect(new Set(emails).size).toBe(4);
    });

    it.each([
      ['page=0', 'page'],
      ['size=101', 'size'],
      ['size=abc', 'size'],
    ])('answers 400 naming the parameter for ?%s', async (query, field) => {
      const response = await asAdmin('GET', `/users?${query}`);
      expect(response.status).toBe(400);
      expect(Object.keys((await errorsOf(response)) ?? {})).toEqual([field]);
    });
  });

  describe('who may manage users', () => {
    const routes = (id: string): [string, string, unknown][] => [
      ['POST', '/users', { email: 'who@clinic.example', password: STRONG, role: 'NURSE' }],
      ['GET', '/users', undefined],
      ['GET', `/users/${id}`, undefined],
      ['POST', `/users/${id}/disable`, undefined],
      ['POST', `/users/${id}/enable`, undefined],
      ['PUT', `/users/${id}/role`, { role: 'DOCTOR' }],
      ['POST', `/users/${id}/password`, { password: STRONG }],
    ];

    it('refuses every route to a DOCTOR with 403 and to a caller without a token with 401, changing nothing', async () => {
      const target = await createUser('NURSE');
      for (const [method, path, body] of routes(target.id)) {
        const forbidden = await auth.request(method, path, { token: doctorToken, body });
        expect({ route: `${method} ${path}`, status: forbidden.status }).toEqual({ route: `${method} ${path}`, status: 403 });
        expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
        const anonymous = await auth.request(method, path, { body });
        expect({ route: `${method} ${path}`, status: anonymous.status }).toEqual({ route: `${method} ${path}`, status: 401 });
      }
      expect(await (await asAdmin('GET', `/users/${target.id}`)).json()).toEqual(target);
    });

    it.each(['NURSE', 'BILLING', 'ANALYST'])('refuses GET /users to %s with 403', async (role) => {
      const user = await createUser(role);
      const { token } = await auth.tokensFor(user.email, STRONG);
      expect((await auth.request('GET', '/users', { token })).status).toBe(403);
    });
  });

  describe('disable and enable', () => {
    it("makes the user's existing access and refresh tokens 401 at once, and their logins 401; enable lets them log in again", async () => {
      const user = await createUser('NURSE');
      const before = await auth.tokensFor(user.email, STRONG);
      expect((await auth.request('GET', '/me', { token: before.token })).status).toBe(200);

      const disabled = await asAdmin('POST', `/users/${user.id}/disable`);
      expect(disabled.status).toBe(200);
      expect(await disabled.json()).toEqual({ ...user, disabled: true });

      expect((await auth.request('GET', '/me', { token: before.token })).status).toBe(401);
      expect((await auth.request('POST', '/refresh', { body: { refreshToken: before.refreshToken } })).status).toBe(401);
      expect((await auth.login(user.email, STRONG)).status).toBe(401);

      const enabled = await asAdmin('POST', `/users/${user.id}/enable`);
      expect(enabled.status).toBe(200);
      expect(await enabled.json()).toEqual({ ...user, disabled: false });
      const after = await auth.tokensFor(user.email, STRONG);
      expect((await auth.request('GET', '/me', { token: after.token })).status).toBe(200);
      // The old tokens stay dead.
      expect((await auth.request('GET', '/me', { token: before.token })).status).toBe(401);
    });

    it('keeps an admin from disabling themselves (400) and leaves them working', async () => {
      const adminId = await auth.userId('testuser@test.com');
      const response = await asAdmin('POST', `/users/${adminId}/disable`);
      expect(response.status).toBe(400);
      expect(await errorsOf(response)).toEqual({ id: 'An admin cannot disable their own account' });
      expect((await asAdmin('GET', '/users')).status).toBe(200);
    });
  });

  describe('PUT /users/:id/role', () => {
    it('takes effect at once: old tokens 401, a new login carries the new role and its rights', async () => {
      const user = await createUser('NURSE');
      const before = await auth.tokensFor(user.email, STRONG);
      expect((await auth.request('GET', '/users', { token: before.token })).status).toBe(403);

      const response = await asAdmin('PUT', `/users/${user.id}/role`, { role: 'ADMIN' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ...user, role: 'ADMIN' });

      expect((await auth.request('GET', '/me', { token: before.token })).status).toBe(401);
      expect((await auth.request('POST', '/refresh', { body: { refreshToken: before.refreshToken } })).status).toBe(401);
      const after = await auth.tokensFor(user.email, STRONG);
      expect(await (await auth.request('GET', '/me', { token: after.token })).json()).toEqual({ id: user.id, email: user.email, role: 'ADMIN' });
      expect((await auth.request('GET', '/users', { token: after.token })).status).toBe(200);
    });

    it('answers 400 naming role for an unknown role', async () => {
      const user = await createUser('NURSE');
      const response = await asAdmin('PUT', `/users/${user.id}/role`, { role: 'SUPERUSER' });
      expect(response.status).toBe(400);
      expect(await errorsOf(response)).toEqual({ role: 'role must be one of ADMIN, DOCTOR, NURSE, BILLING, ANALYST' });
    });
  });

  describe('POST /users/:id/password', () => {
    it('replaces the password (204) and ends every session: old tokens and the old password stop working', async () => {
      const user = await createUser('DOCTOR');
      const before = await auth.tokensFor(user.email, STRONG);
      const response = await asAdmin('POST', `/users/${user.id}/password`, { password: 'a brand new passphrase' });
      expect(response.status).toBe(204);
      expect((await auth.request('GET', '/me', { token: before.token })).status).toBe(401);
      expect((await auth.login(user.email, STRONG)).status).toBe(401);
      expect((await auth.login(user.email, 'a brand new passphrase')).status).toBe(200);
    });

    it.each([
      [{ password: 'tiny' }, 'password must be at least 12 characters'],
      [{ password: 'qwertyqwerty' }, expect.stringContaining('too easy to guess')],
      [{ password: 'password123password123' }, expect.stringContaining('too easy to guess')],
      [{ password: 'qwertyuiopas' }, expect.stringContaining('too easy to guess')],
      [{}, 'password is required'],
    ])('answers 400 naming password for %j', async (body, message) => {
      const user = await createUser('DOCTOR');
      const response = await asAdmin('POST', `/users/${user.id}/password`, body);
      expect(response.status).toBe(400);
      expect(await errorsOf(response)).toEqual({ password: message });
    });
  });

  describe('unknown and malformed ids', () => {
    const unknown = '00000000-0000-4000-8000-000000000000';

    it.each<[string, string, unknown]>([
      ['GET', `/users/${unknown}`, undefined],
      ['POST', `/users/${unknown}/disable`, undefined],
      ['POST', `/users/${unknown}/enable`, undefined],
      ['PUT', `/users/${unknown}/role`, { role: 'NURSE' }],
      ['POST', `/users/${unknown}/password`, { password: STRONG }],
    ])('%s %s answers 404 problem+json', async (method, path, body) => {
      const response = await asAdmin(method, path, body);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });

    it('names an unknown user USER_NOT_FOUND', async () => {
      expect(await (await asAdmin('GET', `/users/${unknown}`)).json()).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `No user with id ${unknown}`,
        code: 'USER_NOT_FOUND',
      });
    });

    it('answers 400 naming id for an id that is not a UUID', async () => {
      const response = await asAdmin('POST', '/users/42/disable');
      expect(response.status).toBe(400);
      expect(await errorsOf(response)).toEqual({ id: 'id must be a UUID' });
    });
  });
});
