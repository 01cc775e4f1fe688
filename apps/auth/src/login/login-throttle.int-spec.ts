import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { RedisCheck, RedisConnection } from '@pm/platform';
import { AuthTestApp, startAuthTestApp, useAuthTestApp } from '../testing/auth-test-app';
import { callJson, freshLoopbackAddress, type JsonAnswer } from '@pm/testing';

const PAIR_LIMIT = 10;
const ADDRESS_LIMIT = 40;
const ACCOUNT_FREE_FAILURES = 12;
const ACCOUNT_FIRST_DELAY_MS = 200;

const metric = async (auth: AuthTestApp, pattern: string): Promise<number> => {
  const text = await (await auth.request('GET', '/metrics')).text();
  return Number(new RegExp(`^${pattern} (\\d+)$`, 'm').exec(text)?.[1]);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each test sends from loopback addresses of its own (127.x.y.z, seen on the socket), so its
 * per-address counts never reach another test.
 */
describe('login throttling (real Redis)', () => {
  const auth = useAuthTestApp('auth_int_throttle', {
    LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES: String(PAIR_LIMIT),
    LOGIN_PAIR_FIRST_BLOCK_SECONDS: '1',
    LOGIN_PAIR_MAX_BLOCK_SECONDS: '900',
    LOGIN_ADDRESS_MAX_FAILURES: String(ADDRESS_LIMIT),
    LOGIN_ACCOUNT_FREE_FAILURES: String(ACCOUNT_FREE_FAILURES),
    LOGIN_ACCOUNT_FIRST_DELAY_MS: String(ACCOUNT_FIRST_DELAY_MS),
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS: '1',
  });
  let adminToken: string;

  const loginFrom = (address: string, email: string, password = 'password123'): Promise<JsonAnswer> =>
    callJson('POST', `${auth.baseUrl}/login`, { from: address, body: { email, password } });
  const failTimes = async (times: number, address: string, email: string) => {
    for (let i = 0; i < times; i++) expect((await loginFrom(address, email, 'wrong-password')).status).toBe(401);
  };

  beforeAll(async () => {
    adminToken = (await auth.tokensFor('testuser@test.com')).token;
  });

  const expectThrottled = (answer: JsonAnswer, retryAfter?: number) => {
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const seconds = Number(answer.headers.get('retry-after'));
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThan(0);
    if (retryAfter !== undefined) expect(seconds).toBe(retryAfter);
    expect(answer.body).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringContaining('Too many failed logins') });
  };

  it('one person failing at a shared address stops neither a colleague there nor the account elsewhere', async () => {
    const clinic = freshLoopbackAddress();
    // More failures than the old per-IP limit (20) and per-account limit (5) allowed.
    await failTimes(PAIR_LIMIT, clinic, 'doctor@test.com');
    for (let i = 0; i < 15; i++) expectThrottled(await loginFrom(clinic, 'doctor@test.com', 'wrong-password'));
    // A colleague behind the same NAT, with the right password for their own account.
    expect((await loginFrom(clinic, 'nurse@test.com')).status).toBe(200);
    // The doctor at another address gets in (the account is slowed at most, never locked).
    expect((await loginFrom(freshLoopbackAddress(), 'doctor@test.com')).status).toBe(200);
    // The pair itself stays blocked: a success elsewhere does not lift it.
    expectThrottled(await loginFrom(clinic, 'doctor@test.com'));
  });

  it(`${PAIR_LIMIT} failures for a pair: 429 with a Retry-After that doubles; refused attempts do not count`, async () => {
    const address = freshLoopbackAddress();
    await failTimes(PAIR_LIMIT, address, 'billing@test.com');
    // Refused attempts while blocked, even with the right password: none of them counts.
    for (let i = 0; i < 5; i++) expectThrottled(await loginFrom(address, 'billing@test.com'), 1);
    await sleep(1_100);
    expect((await loginFrom(address, 'billing@test.com', 'wrong-password')).status).toBe(401);
    expectThrottled(await loginFrom(address, 'billing@test.com', 'wrong-password'), 2);
    await sleep(2_100);
    expect((await loginFrom(address, 'billing@test.com', 'wrong-password')).status).toBe(401);
    expectThrottled(await loginFrom(address, 'billing@test.com'), 4);
    await sleep(4_100);
    // A success resets the pair: the next failures start from nothing.
    expect((await loginFrom(address, 'billing@test.com')).status).toBe(200);
    await failTimes(PAIR_LIMIT - 1, address, 'billing@test.com');
    expect((await loginFrom(address, 'billing@test.com')).status).toBe(200);
  }, 20_000);

  it('counts an unknown email like a known one', async () => {
    const address = freshLoopbackAddress();
    await failTimes(PAIR_LIMIT, address, 'ghost@test.com');
    expectThrottled(await loginFrom(address, 'ghost@test.com', 'guess'), 1);
  });

  it(`refuses an address after ${ADDRESS_LIMIT} failures over many accounts, even the right password; elsewhere it is fine`, async () => {
    const sprayer = freshLoopbackAddress();
    for (let i = 0; i < ADDRESS_LIMIT; i++) expect((await loginFrom(sprayer, `stranger${i}@test.com`, 'guess')).status).toBe(401);
    const refused = await loginFrom(sprayer, 'analyst@test.com');
    expectThrottled(refused);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(86_000);
    expect((await loginFrom(freshLoopbackAddress(), 'analyst@test.com')).status).toBe(200);
  }, 20_000);

  it('slows an account failing from many addresses, and its owner still gets in (after the delay)', async () => {
    const email = 'target@clinic.example';
    const created = await auth.request('POST', '/users', {
      token: adminToken,
      body: { email, password: 'a long enough passphrase', role: 'NURSE' },
    });
    expect(created.status).toBe(201);
    // Spread over addresses, so no pair nor address limit is met.
    for (let i = 0; i < ACCOUNT_FREE_FAILURES + 2; i++) {
      expect((await loginFrom(freshLoopbackAddress(), email, 'wrong-password')).status).toBe(401);
    }
    const owner = await loginFrom(freshLoopbackAddress(), email, 'a long enough passphrase');
    expect(owner.status).toBe(200);
    // 200 ms doubled twice: 800 ms before the password was checked.
    expect(owner.elapsedMs).toBeGreaterThanOrEqual(ACCOUNT_FIRST_DELAY_MS * 4 - 20);
    // The owner's success ends the delay.
    expect((await loginFrom(freshLoopbackAddress(), email, 'a long enough passphrase')).elapsedMs).toBeLessThan(ACCOUNT_FIRST_DELAY_MS * 4);
  });

  it('lets ADMIN list the throttles in force and lift one; nobody else', async () => {
    const address = freshLoopbackAddress();
    await failTimes(PAIR_LIMIT, address, 'nurse@test.com');
    const nurseId = await auth.userId('nurse@test.com');

    const listed = await auth.request('GET', '/throttles', { token: adminToken });
    expect(listed.status).toBe(200);
    const { throttles } = (await listed.json()) as { throttles: Array<Record<string, unknown>> };
    const pair = throttles.find((throttle) => throttle.kind === 'pair' && throttle.address === address);
    expect(pair).toEqual({
      kind: 'pair',
      key: `pair:${nurseId}:${address}`,
      account: nurseId,
      address,
      failures: PAIR_LIMIT,
      remainingSeconds: 1,
    });
    expect(throttles.some((throttle) => throttle.kind === 'address')).toBe(true);
    expect(JSON.stringify(throttles)).not.toMatch(/@|password/);

    const { token: doctorToken } = await auth.tokensFor('doctor@test.com');
    expect((await auth.request('GET', '/throttles', { token: doctorToken })).status).toBe(403);
    expect((await auth.request('DELETE', `/throttles/${encodeURIComponent(String(pair!.key))}`, { token: doctorToken })).status).toBe(403);
    expect((await auth.request('GET', '/throttles')).status).toBe(401);

    const cleared = await auth.request('DELETE', `/throttles/${encodeURIComponent(String(pair!.key))}`, { token: adminToken });
    expect(cleared.status).toBe(204);
    // Lifted, and its failures forgotten: a failure now is the first again.
    expect((await loginFrom(address, 'nurse@test.com', 'wrong-password')).status).toBe(401);
    expect((await loginFrom(address, 'nurse@test.com')).status).toBe(200);

    const again = await auth.request('DELETE', `/throttles/${encodeURIComponent(String(pair!.key))}`, { token: adminToken });
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect((await auth.request('DELETE', '/throttles/address:192.0.2.250', { token: adminToken })).status).toBe(404);
    expect((await auth.request('DELETE', '/throttles/whatever', { token: adminToken })).status).toBe(404);
  });

  it('documents both throttle routes in the OpenAPI document', async () => {
    const { SwaggerModule, DocumentBuilder } = await import('@nestjs/swagger');
    const document = SwaggerModule.createDocument(auth.app, new DocumentBuilder().addBearerAuth().build());
    expect(document.paths['/throttles'].get?.responses).toHaveProperty('200');
    expect(document.paths['/throttles/{key}'].delete?.responses).toMatchObject({ '204': expect.anything(), '404': expect.anything() });
  });

  it('counts throttled logins in auth_logins_total{outcome="throttled"}, and nothing went to memory', async () => {
    expect(await metric(auth, 'auth_logins_total\\{[^}]*outcome="throttled"[^}]*\\}')).toBeGreaterThanOrEqual(20);
    expect(await metric(auth, 'auth_login_throttle_in_memory_total\\{[^}]*\\}')).toBe(0);
    expect(await metric(auth, 'auth_login_throttle_unavailable_total\\{[^}]*\\}')).toBe(0);
  });

  it("keeps the counters under this run's key prefix, keyed by user id or a hash, never the email", async () => {
    const redis = auth.app.get(RedisConnection).client;
    const keys = await redis.keys(`${auth.config.LOGIN_THROTTLE_KEY_PREFIX}:*`);
    const doctorId = await auth.userId('doctor@test.com');
    expect(keys.some((key) => key.startsWith(`${auth.config.LOGIN_THROTTLE_KEY_PREFIX}:pair-failures:${doctorId}:127.`))).toBe(true);
    expect(keys.some((key) => key.startsWith(`${auth.config.LOGIN_THROTTLE_KEY_PREFIX}:account:unknown-`))).toBe(true);
    expect(keys.join(' ')).not.toContain('@');
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});

/** A free TCP port on loopback, for a private redis-server. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('login throttling when its private Redis stops', () => {
  let auth: AuthTestApp;
  let redisServer: ChildProcess;

  beforeAll(async () => {
    const port = await freePort();
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    auth = await startAuthTestApp('auth_int_throttle_stop', { REDIS_URL: `redis://127.0.0.1:${port}` });
    await auth.app.get(RedisConnection).whenConnected();
  }, 30_000);

  afterAll(async () => {
    await auth?.close();
    if (redisServer.exitCode === null) redisServer.kill('SIGKILL');
  });

  it('goes on throttling in memory from the moment Redis is gone', async () => {
    const address = freshLoopbackAddress();
    const loginFrom = (email: string, password = 'password123') =>
      callJson('POST', `${auth.baseUrl}/login`, { from: address, body: { email, password } });
    for (let i = 0; i < 3; i++) expect((await loginFrom('doctor@test.com', 'wrong-password')).status).toBe(401);
    expect(await metric(auth, 'auth_login_throttle_in_memory_total\\{[^}]*\\}')).toBe(0);

    redisServer.kill('SIGTERM');
    await once(redisServer, 'exit');
    const client = auth.app.get(RedisConnection).client;
    while (client.status === 'ready') await sleep(50);

    // Today's rule, not a free pass: 10 failures (counted in memory from the outage on) block the pair.
    for (let i = 0; i < 10; i++) expect((await loginFrom('doctor@test.com', 'wrong-password')).status).toBe(401);
    const refused = await loginFrom('doctor@test.com');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await loginFrom('nurse@test.com')).status).toBe(200);
    expect(await metric(auth, 'auth_login_throttle_in_memory_total\\{[^}]*\\}')).toBeGreaterThan(0);
  });
});

describe('login throttling while Redis is down', () => {
  // Nothing listens on port 1: every Redis command fails at once.
  const auth = useAuthTestApp('auth_int_throttle_down', { REDIS_URL: 'redis://127.0.0.1:1' });

  it("still throttles, with this instance's in-memory limiter, and counts it in auth_login_throttle_in_memory_total", async () => {
    const address = freshLoopbackAddress();
    const loginFrom = (email: string, password = 'password123') =>
      callJson('POST', `${auth.baseUrl}/login`, { from: address, body: { email, password } });
    for (let i = 0; i < 10; i++) expect((await loginFrom('doctor@test.com', 'wrong-password')).status).toBe(401);
    const refused = await loginFrom('doctor@test.com');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(1);
    // Same rules as with Redis: the colleague gets in.
    expect((await loginFrom('nurse@test.com')).status).toBe(200);
    expect(await metric(auth, 'auth_login_throttle_in_memory_total\\{[^}]*\\}')).toBeGreaterThan(0);
    expect(await metric(auth, 'auth_login_throttle_unavailable_total\\{[^}]*\\}')).toBe(0);
  });

  it("keeps serving tokens from this verifier's copy of the revocation list, and readiness says degraded (redis), not down", async () => {
    const { token } = await auth.tokensFor('doctor@test.com');
    const me = await auth.request('GET', '/me', { token });
    expect(me.status).toBe(200);
    const ready = await auth.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', degraded: ['redis'] });
        await expect(auth.app.get(RedisCheck, { strict: false }).check()).rejects.toThrow(/Redis/);
  });
});
