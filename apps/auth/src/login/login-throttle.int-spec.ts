import { AuthTestApp, startAuthTestApp, uniqueClientIp } from '../testing/auth-test-app';

const ACCOUNT_LIMIT = 3;
const IP_LIMIT = 5;
const WINDOW_SECONDS = 60;

const metric = async (auth: AuthTestApp, pattern: string): Promise<number> => {
  const text = await (await auth.request('GET', '/metrics')).text();
  return Number(new RegExp(`^${pattern} (\\d+)$`, 'm').exec(text)?.[1]);
};

describe('login throttling (real Redis)', () => {
  let auth: AuthTestApp;

  beforeAll(async () => {
    auth = await startAuthTestApp('auth_int_throttle', {
      LOGIN_MAX_FAILURES_PER_ACCOUNT: String(ACCOUNT_LIMIT),
      LOGIN_ACCOUNT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      LOGIN_MAX_FAILURES_PER_IP: String(IP_LIMIT),
      LOGIN_IP_WINDOW_SECONDS: String(WINDOW_SECONDS),
    });
  }, 30_000);

  afterAll(async () => {
    await auth?.close();
  });

  const expectThrottled = async (response: Response) => {
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(await response.json()).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringContaining('Too many failed logins') });
  };

  it(`per account: after ${ACCOUNT_LIMIT} failures (from different IPs) even the right password gets 429 with Retry-After`, async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await auth.login('doctor@test.com', 'wrong-password')).status).toBe(401);
    await expectThrottled(await auth.login('doctor@test.com', 'password123'));
    await expectThrottled(await auth.login('DOCTOR@test.com', 'wrong-password'));
    // Other accounts are unaffected.
    expect((await auth.login('nurse@test.com')).status).toBe(200);
  });

  it('per account: counts an unknown email like a known one', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect((await auth.login('ghost@test.com', 'guess')).status).toBe(401);
    await expectThrottled(await auth.login('ghost@test.com', 'guess'));
  });

  it('a successful login resets the account counter', async () => {
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) expect((await auth.login('billing@test.com', 'wrong-password')).status).toBe(401);
    expect((await auth.login('billing@test.com')).status).toBe(200);
    for (let i = 0; i < ACCOUNT_LIMIT - 1; i++) expect((await auth.login('billing@test.com', 'wrong-password')).status).toBe(401);
    expect((await auth.login('billing@test.com')).status).toBe(200);
  });

  it(`per IP (X-Forwarded-For from the trusted loopback proxy): after ${IP_LIMIT} failures over many accounts, 429`, async () => {
    const ip = '198.51.100.23';
    for (let i = 0; i < IP_LIMIT; i++) expect((await auth.login(`stranger${i}@test.com`, 'guess', ip)).status).toBe(401);
    await expectThrottled(await auth.login('analyst@test.com', 'password123', ip));
    // The same account from another address is fine: the limit was the IP's.
    expect((await auth.login('analyst@test.com', 'password123', uniqueClientIp())).status).toBe(200);
  });

  it('counts throttled logins in auth_logins_total{outcome="throttled"}', async () => {
    expect(await metric(auth, 'auth_logins_total\\{[^}]*outcome="throttled"[^}]*\\}')).toBeGreaterThanOrEqual(4);
    expect(await metric(auth, 'auth_login_throttle_unavailable_total\\{[^}]*\\}')).toBe(0);
  });

  it("keeps the counters under this run's key prefix, keyed by a hash rather than the email", async () => {
    const redis = auth.app.get((await import('../redis/redis-connection')).RedisConnection).client;
    const keys = await redis.keys(`${auth.config.LOGIN_THROTTLE_KEY_PREFIX}:*`);
    expect(keys.some((key) => key.startsWith(`${auth.config.LOGIN_THROTTLE_KEY_PREFIX}:account:`))).toBe(true);
    expect(keys).toContain(`${auth.config.LOGIN_THROTTLE_KEY_PREFIX}:ip:198.51.100.23`);
    expect(keys.join(' ')).not.toContain('@');
    const ttl = await redis.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);
  });
});

describe('login throttling while Redis is down', () => {
  let auth: AuthTestApp;

  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    auth = await startAuthTestApp('auth_int_throttle_down', { REDIS_URL: 'redis://127.0.0.1:1', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1' });
  }, 30_000);

  afterAll(async () => {
    await auth?.close();
  });

  it('fails open: logins still work (and failures stay 401, never 429), counted in auth_login_throttle_unavailable_total', async () => {
    for (let i = 0; i < 3; i++) expect((await auth.login('doctor@test.com', 'wrong-password')).status).toBe(401);
    expect((await auth.login('doctor@test.com')).status).toBe(200);
    expect(await metric(auth, 'auth_login_throttle_unavailable_total\\{[^}]*\\}')).toBeGreaterThanOrEqual(4);
  });

  it('fails closed for access tokens: without the revocation list a token cannot be checked (503), and readiness says redis', async () => {
    const { token } = await auth.tokensFor('doctor@test.com');
    const me = await auth.request('GET', '/me', { token });
    expect(me.status).toBe(503);
    expect(me.headers.get('content-type')).toContain('application/problem+json');
    const ready = await auth.request('GET', '/health/ready');
    expect(ready.status).toBe(503);
    const { RedisCheck } = await import('../redis/redis.check');
    await expect(auth.app.get(RedisCheck, { strict: false }).check()).rejects.toThrow(/Redis/);
  });
});
