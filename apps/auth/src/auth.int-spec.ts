import { AccessTokenVerifier } from '@pm/auth-tokens';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, exportSPKI, importJWK } from 'jose';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { SigningKeys } from './tokens/signing-keys';
import { useAuthTestApp } from './testing/auth-test-app';
import { DemoUsersSeeder } from './users/demo-users.seeder';
import { UsersService } from './users/users.service';
import type { SigningJwk } from './config/auth.config';

describe('auth over HTTP (real PostgreSQL and Redis)', () => {
  const auth = useAuthTestApp('auth_int_test');

  const validate = (authorization?: string) => auth.request('GET', '/validate', { headers: authorization ? { authorization } : {} });
  const me = (authorization?: string) => auth.request('GET', '/me', { headers: authorization ? { authorization } : {} });

  describe('demo users', () => {
    it('seeds the five demo accounts once, even when the seeder runs again (twice at once)', async () => {
      const before = await auth.dataSource.query('SELECT id, email, role FROM users ORDER BY email');
      expect(before.map((row: { email: string; role: string }) => [row.email, row.role])).toEqual([
        ['analyst@test.com', 'ANALYST'],
        ['billing@test.com', 'BILLING'],
        ['doctor@test.com', 'DOCTOR'],
        ['nurse@test.com', 'NURSE'],
        ['testuser@test.com', 'ADMIN'],
      ]);
      const seeder = auth.app.get(DemoUsersSeeder);
      await expect(Promise.all([seeder.seed(), seeder.seed()])).resolves.toEqual([0, 0]);
      expect(await auth.dataSource.query('SELECT id, email, role FROM users ORDER BY email')).toEqual(before);
    });

    it('stores argon2id hashes, never the password', async () => {
      const rows: { password_hash: string }[] = await auth.dataSource.query('SELECT password_hash FROM users');
      for (const row of rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });
  });

  describe('POST /login', () => {
    it('answers an access token that verifies against the served JWKS URL with the shared verifier, and a refresh token', async () => {
      const response = await auth.login('TestUser@Test.com');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { token: string; refreshToken: string; expiresIn: number; tokenType: string };
      expect(body).toEqual({ token: expect.any(String), refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresIn: 900, tokenType: 'Bearer' });
      expect(decodeProtectedHeader(body.token)).toEqual({ alg: 'ES256', kid: 'current', typ: 'JWT' });

      const verifier = new AccessTokenVerifier({
        AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
        JWT_ISSUER: auth.config.JWT_ISSUER,
        JWT_AUDIENCE: auth.config.JWT_AUDIENCE,
      });
      const claims = await verifier.verify(body.token);
      expect(claims).toMatchObject({ userId: await auth.userId('testuser@test.com'), email: 'testuser@test.com', role: 'ADMIN' });
      expect(claims.expiresAt - claims.issuedAt).toBe(900);
      // The session id is the refresh token's family.
      const [row] = await auth.dataSource.query('SELECT family_id, user_id FROM refresh_tokens WHERE family_id = $1', [claims.sessionId]);
      expect(row).toEqual({ family_id: claims.sessionId, user_id: claims.userId });
    });

    it('answers a wrong password, an unknown email and a disabled account with the same 401 problem', async () => {
      await auth.app.get(UsersService).ensureUser({ email: 'disabled@int.test', password: 'password123', role: 'NURSE' });
      await auth.dataSource.query(`UPDATE users SET disabled = true WHERE email = 'disabled@int.test'`);

      const answers = await Promise.all([
        auth.login('doctor@test.com', 'wrong-password'),
        auth.login('nobody@test.com'),
        auth.login('disabled@int.test'),
      ]);
      const bodies = await Promise.all(answers.map((answer) => answer.json()));
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(bodies[0]).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid email or password', code: 'LOGIN_INVALID_CREDENTIALS' });
      expect(bodies[1]).toEqual(bodies[0]);
      expect(bodies[2]).toEqual(bodies[0]);
    });

    it.each([
      [{ password: 'password123' }, 'email', 'email is required'],
      [{ email: 'not-an-email', password: 'password123' }, 'email', 'email must be a valid email address'],
      [{ email: 42, password: 'password123' }, 'email', 'email must be a string'],
      [{ email: 'doctor@test.com' }, 'password', 'password is required'],
      [{ email: 'doctor@test.com', password: '' }, 'password', 'password is required'],
    ])('answers 400 naming the field for %j', async (body, field, message) => {
      const response = await auth.request('POST', '/login', { body });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { errors: Record<string, string> }).errors).toEqual({ [field]: message });
    });

    it('counts logins by outcome in /metrics', async () => {
      const metrics = await (await auth.request('GET', '/metrics')).text();
      const count = (outcome: string) =>
        Number(new RegExp(`^auth_logins_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
      expect(count('success')).toBeGreaterThanOrEqual(1);
      expect(count('failure')).toBeGreaterThanOrEqual(3);
      expect(count('throttled')).toBe(0);
    });
  });

  describe('GET /validate and GET /me', () => {
    it('/validate answers 200 with who the token belongs to', async () => {
      const response = await validate(`Bearer ${(await auth.tokensFor('doctor@test.com')).token}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        valid: true,
        userId: await auth.userId('doctor@test.com'),
        email: 'doctor@test.com',
        role: 'DOCTOR',
      });
    });

    it.each(['testuser@test.com', 'doctor@test.com', 'nurse@test.com', 'billing@test.com', 'analyst@test.com'])(
      '/me answers {id, email, role} to %s',
      async (email) => {
        const response = await me(`Bearer ${(await auth.tokensFor(email)).token}`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ id: await auth.userId(email), email, role: expect.any(String) });
      },
    );

    it('still accepts a token signed by the second published key, which no longer signs (rotation)', async () => {
      const previousKey = (auth.config.AUTH_SIGNING_KEYS as SigningJwk[])[1];
      const oldIssuer = new AccessTokenIssuer(await SigningKeys.fromJwks([previousKey]), {
        issuer: auth.config.JWT_ISSUER,
        audience: auth.config.JWT_AUDIENCE,
        ttlSeconds: 60,
      });
      const { token } = await oldIssuer.issue({ id: await auth.userId('nurse@test.com'), email: 'nurse@test.com', role: 'NURSE' }, 'rotation-session');
      expect(decodeProtectedHeader(token).kid).toBe('previous');
      expect((await validate(`Bearer ${token}`)).status).toBe(200);
      expect((await me(`Bearer ${token}`)).status).toBe(200);
    });

    const issuerWith = (overrides: { audience?: string; ttlSeconds?: number; keys?: SigningKeys }) =>
      new AccessTokenIssuer(overrides.keys ?? auth.app.get(SigningKeys), {
        issuer: auth.config.JWT_ISSUER,
        audience: overrides.audience ?? auth.config.JWT_AUDIENCE,
        ttlSeconds: overrides.ttlSeconds ?? 60,
      });
    const subject = async () => ({ id: await auth.userId('testuser@test.com'), email: 'testuser@test.com', role: 'ADMIN' as const });

    const attacks: [string, () => Promise<string | undefined>][] = [
      ['no Authorization header', async () => undefined],
      ['a non-bearer scheme', async () => `Basic ${Buffer.from('testuser@test.com:password123').toString('base64')}`],
      ['a garbage token', async () => 'Bearer not.a.jwt'],
      [
        'a tampered payload (a nurse making herself ADMIN)',
        async () => {
          const [header, payload, signature] = (await auth.tokensFor('nurse@test.com')).token.split('.');
          const claims = { ...decodeJwt(`${header}.${payload}.${signature}`), role: 'ADMIN' };
          return `Bearer ${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
        },
      ],
      [
        'alg none',
        async () => {
          const [, payload] = (await auth.tokensFor('nurse@test.com')).token.split('.');
          return `Bearer ${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
        },
      ],
      [
        'HS256 signed with the published public key as the secret',
        async () => {
          const published = auth.app.get(SigningKeys).publicJwks[0];
          const publicPem = await exportSPKI((await importJWK({ ...published }, 'ES256', { extractable: true })) as Parameters<typeof exportSPKI>[0]);
          const claims = decodeJwt((await auth.tokensFor('nurse@test.com')).token);
          const forged = await new SignJWT({ ...claims, role: 'ADMIN' })
            .setProtectedHeader({ alg: 'HS256', kid: published.kid, typ: 'JWT' })
            .sign(new TextEncoder().encode(publicPem));
          return `Bearer ${forged}`;
        },
      ],
      ['an expired token', async () => `Bearer ${(await issuerWith({ ttlSeconds: -1 }).issue(await subject(), 'expired-session')).token}`],
      ['another audience', async () => `Bearer ${(await issuerWith({ audience: 'another-system' }).issue(await subject(), 's')).token}`],
      [
        'a key that is not published',
        async () => `Bearer ${(await issuerWith({ keys: await SigningKeys.ephemeral() }).issue(await subject(), 's')).token}`,
      ],
    ];

    it.each(attacks)('/me answers 401 problem+json for %s', async (_case, authorization) => {
      const response = await me(await authorization());
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    });

    it.each(attacks)('/validate answers 401 problem+json for %s', async (_case, authorization) => {
      const response = await validate(await authorization());
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes every configured key, public members only, cacheable for a few minutes', async () => {
      const response = await auth.request('GET', '/.well-known/jwks.json');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      const body = (await response.json()) as { keys: Record<string, unknown>[] };
      expect(body.keys.map((key) => key.kid)).toEqual(['current', 'previous']);
      for (const key of body.keys) {
        expect(key).not.toHaveProperty('d');
        expect(key).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: key.kid, alg: 'ES256', use: 'sig' });
      }
      for (const configured of auth.config.AUTH_SIGNING_KEYS!) expect(JSON.stringify(body)).not.toContain(configured.d);
    });
  });

  it('documents every route, with the bearer scheme and the roles', async () => {
    const { SwaggerModule, DocumentBuilder } = await import('@nestjs/swagger');
    const document = SwaggerModule.createDocument(auth.app, new DocumentBuilder().addBearerAuth().build());
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { security?: unknown[]; description?: string }>).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );
    const byRoute = new Map(operations.map(({ route, operation }) => [route, operation]));
    const documented = (route: string) => ({ route, security: byRoute.get(route)?.security, description: byRoute.get(route)?.description });
    const adminRoutes = ['POST /users', 'GET /users', 'GET /users/{id}', 'POST /users/{id}/disable', 'POST /users/{id}/enable', 'PUT /users/{id}/role', 'POST /users/{id}/password'];
    for (const route of adminRoutes) {
      expect(documented(route)).toEqual({ route, security: [{ bearer: [] }], description: expect.stringMatching(/(^|\n)Roles: ADMIN\.$/) });
      expect(documented(route).description!.match(/Roles:/g)).toHaveLength(1);
    }
    for (const route of ['GET /me', 'POST /logout']) {
      expect(documented(route)).toEqual({ route, security: [{ bearer: [] }], description: expect.stringContaining('Roles: ADMIN, DOCTOR, NURSE, BILLING, ANALYST.') });
    }
    for (const route of ['POST /login', 'POST /refresh', 'GET /.well-known/jwks.json']) {
      expect(documented(route)).toEqual({ route, security: undefined, description: expect.stringContaining('Public') });
    }
  });

  it('is ready when its database and Redis answer', async () => {
    const response = await auth.request('GET', '/health/ready');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });
});
