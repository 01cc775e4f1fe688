import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessTokenVerifier } from '@pm/auth-tokens';
import { loadConfig } from '@pm/config';
import { recreateDatabase } from '@pm/testing';
import { base64url, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AuthConfig, SigningJwk, authConfigSchema } from './config/auth.config';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { SigningKeys } from './tokens/signing-keys';
import { DemoUsersSeeder } from './users/demo-users.seeder';
import { UsersService } from './users/users.service';

// Made per run: no private key is ever committed, not even a test one.
async function privateJwk(kid: string): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d!, kid };
}

describe('auth over HTTP (real PostgreSQL)', () => {
  let app: INestApplication;
  let baseUrl: string;
  let config: AuthConfig;
  let dataSource: DataSource;
  let previousKey: SigningJwk;

  beforeAll(async () => {
    const database = await recreateDatabase('auth_int_test');
    previousKey = await privateJwk('previous');
    config = loadConfig(authConfigSchema, 'auth', {
      ...database,
      HTTP_PORT: '1',
      LOG_LEVEL: 'silent',
      DEMO_SEED: 'true',
      AUTH_SIGNING_KEYS: JSON.stringify([await privateJwk('current'), previousKey]),
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
  });

  const login = (body: unknown) =>
    fetch(`${baseUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const validate = (authorization?: string) =>
    fetch(`${baseUrl}/validate`, { headers: authorization ? { authorization } : {} });
  const tokenFor = async (email: string) => ((await (await login({ email, password: 'password123' })).json()) as { token: string }).token;
  const userId = async (email: string) =>
    ((await dataSource.query('SELECT id FROM users WHERE email = $1', [email])) as { id: string }[])[0].id;

  describe('demo users', () => {
    it('seeds the five demo accounts once, even when the seeder runs again (twice at once)', async () => {
      const before = await dataSource.query('SELECT id, email, role FROM users ORDER BY email');
      expect(before.map((row: { email: string; role: string }) => [row.email, row.role])).toEqual([
        ['analyst@test.com', 'ANALYST'],
        ['billing@test.com', 'BILLING'],
        ['doctor@test.com', 'DOCTOR'],
        ['nurse@test.com', 'NURSE'],
        ['testuser@test.com', 'ADMIN'],
      ]);
      const seeder = app.get(DemoUsersSeeder);
      await expect(Promise.all([seeder.seed(), seeder.seed()])).resolves.toEqual([0, 0]);
      expect(await dataSource.query('SELECT id, email, role FROM users ORDER BY email')).toEqual(before);
    });

    it('stores argon2id hashes, never the password', async () => {
      const rows: { password_hash: string }[] = await dataSource.query('SELECT password_hash FROM users');
      for (const row of rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });
  });

  describe('POST /login', () => {
    it('answers a token that verifies against the served JWKS URL with the shared verifier', async () => {
      const response = await login({ email: 'TestUser@Test.com', password: 'password123' });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { token: string; expiresIn: number; tokenType: string };
      expect(body).toEqual({ token: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
      expect(decodeProtectedHeader(body.token)).toEqual({ alg: 'ES256', kid: 'current', typ: 'JWT' });

      const verifier = new AccessTokenVerifier({
        AUTH_JWKS_URL: `${baseUrl}/.well-known/jwks.json`,
        JWT_ISSUER: config.JWT_ISSUER,
        JWT_AUDIENCE: config.JWT_AUDIENCE,
      });
      await expect(verifier.verify(body.token)).resolves.toMatchObject({
        userId: await userId('testuser@test.com'),
        email: 'testuser@test.com',
        role: 'ADMIN',
      });
    });

    it('answers a wrong password, an unknown email and a disabled account with the same 401 problem', async () => {
      await app.get(UsersService).ensureUser({ email: 'disabled@int.test', password: 'password123', role: 'NURSE' });
      await dataSource.query(`UPDATE users SET disabled = true WHERE email = 'disabled@int.test'`);

      const answers = await Promise.all([
        login({ email: 'doctor@test.com', password: 'wrong-password' }),
        login({ email: 'nobody@test.com', password: 'password123' }),
        login({ email: 'disabled@int.test', password: 'password123' }),
      ]);
      const bodies = await Promise.all(answers.map((answer) => answer.json()));
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
      }
      expect(bodies[0]).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid email or password' });
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
      const response = await login(body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { errors: Record<string, string> }).errors).toEqual({ [field]: message });
    });

    it('counts logins by outcome in /metrics', async () => {
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      const count = (outcome: string) =>
        Number(new RegExp(`^auth_logins_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
      expect(count('success')).toBeGreaterThanOrEqual(1);
      expect(count('failure')).toBeGreaterThanOrEqual(3);
    });
  });

  describe('GET /validate', () => {
    it('answers 200 with who the token belongs to', async () => {
      const response = await validate(`Bearer ${await tokenFor('doctor@test.com')}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        valid: true,
        userId: await userId('doctor@test.com'),
        email: 'doctor@test.com',
        role: 'DOCTOR',
      });
    });

    it('still accepts a token signed with a published key that no longer signs (rotation)', async () => {
      const oldIssuer = new AccessTokenIssuer(await SigningKeys.fromJwks([previousKey]), {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        ttlSeconds: 60,
      });
      const { token } = await oldIssuer.issue({ id: await userId('nurse@test.com'), email: 'nurse@test.com', role: 'NURSE' });
      expect((await validate(`Bearer ${token}`)).status).toBe(200);
    });

    const issuerWith = async (overrides: { audience?: string; ttlSeconds?: number; keys?: SigningKeys }) =>
      new AccessTokenIssuer(overrides.keys ?? app.get(SigningKeys), {
        issuer: config.JWT_ISSUER,
        audience: overrides.audience ?? config.JWT_AUDIENCE,
        ttlSeconds: overrides.ttlSeconds ?? 60,
      });
    const subject = { id: '00000000-0000-4000-8000-000000000001', email: 'x@test.com', role: 'ADMIN' as const };

    it.each<[string, () => Promise<string | undefined>]>([
      ['no Authorization header', async () => undefined],
      ['a non-bearer scheme', async () => `Basic ${Buffer.from('testuser@test.com:password123').toString('base64')}`],
      ['a garbage token', async () => 'Bearer not.a.jwt'],
      [
        'a tampered payload',
        async () => {
          const [header, , signature] = (await tokenFor('nurse@test.com')).split('.');
          const payload = base64url.encode(
            JSON.stringify({ sub: subject.id, email: 'nurse@test.com', role: 'ADMIN', jti: subject.id, iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE, exp: 9_999_999_999 }),
          );
          return `Bearer ${header}.${payload}.${signature}`;
        },
      ],
      [
        'alg none',
        async () => {
          const [, payload] = (await tokenFor('nurse@test.com')).split('.');
          return `Bearer ${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload}.`;
        },
      ],
      ['an expired token', async () => `Bearer ${(await (await issuerWith({ ttlSeconds: -1 })).issue(subject)).token}`],
      ['another audience', async () => `Bearer ${(await (await issuerWith({ audience: 'another-system' })).issue(subject)).token}`],
      [
        'a key that is not published',
        async () => `Bearer ${(await (await issuerWith({ keys: await SigningKeys.ephemeral() })).issue(subject)).token}`,
      ],
    ])('answers 401 problem+json for %s', async (_case, authorization) => {
      const response = await validate(await authorization());
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes every configured key, public members only, cacheable for a few minutes', async () => {
      const response = await fetch(`${baseUrl}/.well-known/jwks.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      const body = (await response.json()) as { keys: Record<string, unknown>[] };
      expect(body.keys.map((key) => key.kid)).toEqual(['current', 'previous']);
      for (const key of body.keys) {
        expect(key).not.toHaveProperty('d');
        expect(key).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: key.kid, alg: 'ES256', use: 'sig' });
      }
      expect(JSON.stringify(body)).not.toContain(previousKey.d);
    });
  });

  it('is ready when its database answers', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });
});
