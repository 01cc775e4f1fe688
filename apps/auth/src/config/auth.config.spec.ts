import { InvalidConfigurationError, describeConfig, loadConfig } from '@pm/platform';
import { exportJWK, generateKeyPair } from 'jose';
import { authConfigSchema } from './auth.config';

// Keys are made per test run: no private key is ever committed, not even a test one.
async function privateJwk(kid: string) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid };
}

function problemsOf(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(authConfigSchema, 'auth', env);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('authConfigSchema', () => {
  it('has the contract defaults and needs no signing keys outside production', () => {
    const config = loadConfig(authConfigSchema, 'auth', {});
    expect(config).toMatchObject({
      HTTP_PORT: 4005,
      DB_NAME: 'auth',
      DEMO_SEED: false,
      JWT_ISSUER: 'patient-management-auth',
      JWT_AUDIENCE: 'patient-management',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REFRESH_TOKEN_TTL_SECONDS: 14 * 24 * 60 * 60,
      LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES: 10,
      LOGIN_PAIR_FIRST_BLOCK_SECONDS: 1,
      LOGIN_PAIR_MAX_BLOCK_SECONDS: 900,
      LOGIN_PAIR_MEMORY_SECONDS: 86_400,
      LOGIN_ADDRESS_MAX_FAILURES: 100,
      LOGIN_ADDRESS_WINDOW_SECONDS: 86_400,
      LOGIN_ACCOUNT_FREE_FAILURES: 10,
      LOGIN_ACCOUNT_WINDOW_SECONDS: 3_600,
      LOGIN_ACCOUNT_FIRST_DELAY_MS: 500,
      LOGIN_ACCOUNT_MAX_DELAY_SECONDS: 30,
      LOGIN_THROTTLE_KEY_PREFIX: 'auth:login-failures',
      PASSWORD_MIN_SCORE: 3,
    });
    expect(config.AUTH_SIGNING_KEYS).toBeUndefined();
  });

  it.each([
    ['REFRESH_TOKEN_TTL_SECONDS', '0'],
    ['LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES', '-1'],
    ['LOGIN_ACCOUNT_WINDOW_SECONDS', 'a while'],
    ['LOGIN_ADDRESS_MAX_FAILURES', '2.5'],
    ['LOGIN_ADDRESS_WINDOW_SECONDS', '0'],
    ['LOGIN_ACCOUNT_MAX_DELAY_SECONDS', '600'],
    ['PASSWORD_MIN_SCORE', '5'],
    ['LOGIN_THROTTLE_KEY_PREFIX', 'has spaces'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
  ])('refuses %s=%j, naming it', (variable, value) => {
    expect(problemsOf({ [variable]: value }).map((problem) => problem.variable)).toEqual([variable]);
  });

  it('refuses production without AUTH_SIGNING_KEYS, naming it', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      { variable: 'AUTH_SIGNING_KEYS', message: expect.stringContaining('required in production') },
    ]);
  });

  it('accepts production with signing keys, keeping their order (the first signs)', async () => {
    const keys = [await privateJwk('current'), await privateJwk('previous')];
    const config = loadConfig(authConfigSchema, 'auth', { NODE_ENV: 'production', AUTH_SIGNING_KEYS: JSON.stringify(keys) });
    expect(config.AUTH_SIGNING_KEYS?.map((key) => key.kid)).toEqual(['current', 'previous']);
    expect(config.AUTH_SIGNING_KEYS?.[0]).toEqual({ kty: 'EC', crv: 'P-256', kid: 'current', x: keys[0].x, y: keys[0].y, d: keys[0].d });
  });

  it('refuses AUTH_SIGNING_KEYS that is not JSON, naming it without echoing the value', () => {
    const secretLooking = '{"d":"c2VjcmV0LWtleS1tYXRlcmlhbA"';
    const problems = problemsOf({ AUTH_SIGNING_KEYS: secretLooking });
    expect(problems).toEqual([{ variable: 'AUTH_SIGNING_KEYS', message: expect.stringContaining('valid JSON') }]);
    expect(JSON.stringify(problems)).not.toContain('c2VjcmV0');
  });

  it.each([
    ['an empty array', async () => [], 'non-empty JSON array'],
    ['a key without kid', async () => [{ ...(await privateJwk('x')), kid: undefined }], 'key 1: "kid"'],
    ['a public key (no d)', async () => [{ ...(await privateJwk('k')), d: undefined }], 'key 1: "d"'],
    ['an RSA-typed key', async () => [{ ...(await privateJwk('k')), kty: 'RSA' }], 'key 1 must have "kty": "EC"'],
    ['a key on another curve', async () => [{ ...(await privateJwk('k')), crv: 'P-384' }], 'key 1 must have "kty": "EC" and "crv": "P-256"'],
    ['a key for another algorithm', async () => [{ ...(await privateJwk('k')), alg: 'RS256' }], 'key 1: "alg" must be ES256'],
    ['a string instead of a key', async () => [await privateJwk('k'), 'not-a-key'], 'key 2 must be a JWK object'],
    ['null instead of a key', async () => [null], 'key 1 must be a JWK object'],
    ['an array instead of a key', async () => [[await privateJwk('k')]], 'key 1 must be a JWK object'],
    ['two keys with one kid', async () => [await privateJwk('same'), await privateJwk('same')], 'different "kid"'],
    [
      'x/y of another key',
      async () => {
        const [a, b] = [await privateJwk('a'), await privateJwk('b')];
        return [{ ...a, x: b.x, y: b.y }];
      },
      'do not belong',
    ],
    ['a d that is not a key', async () => [{ ...(await privateJwk('k')), d: 'AAAA' }], 'not a valid P-256 private key'],
  ])('refuses %s in AUTH_SIGNING_KEYS', async (_case, keys, message) => {
    expect(problemsOf({ AUTH_SIGNING_KEYS: JSON.stringify(await keys()) })).toEqual([
      { variable: 'AUTH_SIGNING_KEYS', message: expect.stringContaining(message) },
    ]);
  });

  it('refuses a token lifetime that is not a positive whole number of seconds', () => {
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '0' })[0].variable).toBe('ACCESS_TOKEN_TTL_SECONDS');
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: 'soon' })[0].variable).toBe('ACCESS_TOKEN_TTL_SECONDS');
  });
});

describe('authConfigSchema as documented for compose / CDK drift checks', () => {
  it('lists every variable, AUTH_SIGNING_KEYS optional and the rest defaulted', () => {
    const variables = describeConfig(authConfigSchema);
    const byName = new Map(variables.map((variable) => [variable.name, variable]));
    expect(byName.get('AUTH_SIGNING_KEYS')).toMatchObject({ required: false, default: undefined });
    expect(byName.get('ACCESS_TOKEN_TTL_SECONDS')).toMatchObject({ required: false, default: '900' });
    expect(byName.get('HTTP_PORT')).toMatchObject({ default: '4005' });
    for (const name of [
      'REDIS_URL',
      'REFRESH_TOKEN_TTL_SECONDS',
      'LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES',
      'LOGIN_PAIR_FIRST_BLOCK_SECONDS',
      'LOGIN_PAIR_MAX_BLOCK_SECONDS',
      'LOGIN_PAIR_MEMORY_SECONDS',
      'LOGIN_ADDRESS_MAX_FAILURES',
      'LOGIN_ADDRESS_WINDOW_SECONDS',
      'LOGIN_ACCOUNT_FREE_FAILURES',
      'LOGIN_ACCOUNT_WINDOW_SECONDS',
      'LOGIN_ACCOUNT_FIRST_DELAY_MS',
      'LOGIN_ACCOUNT_MAX_DELAY_SECONDS',
      'LOGIN_THROTTLE_KEY_PREFIX',
      'PASSWORD_MIN_SCORE',
    ]) {
      expect(byName.get(name)).toMatchObject({ required: false, description: expect.stringMatching(/\w{3}/) });
    }
    expect(variables.filter((variable) => variable.required)).toEqual([]);
  });
});
