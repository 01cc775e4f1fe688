import { fetchFrom, freshLoopbackAddress } from '@pm/testing';
import Redis from 'ioredis';
import { closedPortUrl, uniqueRateLimitPrefix, useGatewayHarness } from '../testing/gateway-test-env';

const PROBLEM_JSON = /^application\/problem\+json/;
const USER_POINTS = 4;
const ANONYMOUS_POINTS = 3;
const WINDOW_SECONDS = 60;

function metricValue(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** A Redis client for one describe; afterwards it deletes the counters under `prefix` and disconnects. */
function useRateLimitRedis(prefix: string): Redis {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });
  return redis;
}

describe('gateway rate limiting (real Redis, real upstream servers)', () => {
  const prefix = uniqueRateLimitPrefix();
  const redis = useRateLimitRedis(prefix);
  const harness = useGatewayHarness(
    {
      RATE_LIMIT_AUTHENTICATED_POINTS: String(USER_POINTS),
      RATE_LIMIT_ANONYMOUS_POINTS: String(ANONYMOUS_POINTS),
      RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      RATE_LIMIT_KEY_PREFIX: prefix,
    },
    { ready: true },
  );

  const asUser = async (subject: string) => {
    const token = await harness.issuer.sign({ subject, claims: { role: 'DOCTOR' } });
    return (path = '/api/patients') => fetch(`${harness.gateway.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  };
  // Each test's client has a loopback address of its own; the gateway trusts no forwarding header.
  const fromAddress = (address: string, path = '/auth/login') =>
    fetchFrom(address, `${harness.gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

  it('puts RateLimit-* headers on every answer it counts', async () => {
    const call = await asUser('headers-user');
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe(String(USER_POINTS));
    expect(first.headers.get('ratelimit-remaining')).toBe(String(USER_POINTS - 1));
    expect(first.headers.get('ratelimit-policy')).toBe(`${USER_POINTS};w=${WINDOW_SECONDS}`);
    const reset = Number(first.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect((await call()).headers.get('ratelimit-remaining')).toBe(String(USER_POINTS - 2));
  });

  it('answers 429 problem+json with Retry-After past RATE_LIMIT_AUTHENTICATED_POINTS, without calling the service', async () => {
    const call = await asUser('greedy-user');
    for (let i = 0; i < USER_POINTS; i += 1) expect((await call()).status).toBe(200);
    const before = harness.stubs.patient.seen.length;
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(refused.headers.get('ratelimit-limit')).toBe(String(USER_POINTS));
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(String(retryAfter));
    expect(await refused.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(harness.stubs.patient.seen.length).toBe(before);
  });

  it('counts per user: another user (same address) is not affected, whichever route', async () => {
    const greedy = await asUser('greedy-user-2');
    for (let i = 0; i < USER_POINTS; i += 1) await greedy();
    expect((await greedy('/api/appointments')).status).toBe(429);
    expect((await (await asUser('modest-user'))()).status).toBe(200);
  });

  it('keeps its counters in Redis under RATE_LIMIT_KEY_PREFIX, expiring with the window', async () => {
    await (await asUser('stored-user'))();
    const key = `${prefix}:user:stored-user`;
    expect(await redis.get(key)).toBe('1');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);
  });

  it('counts requests without a verified token per client address (RATE_LIMIT_ANONYMOUS_POINTS)', async () => {
    const [address, neighbour] = [freshLoopbackAddress(), freshLoopbackAddress()];
    for (let i = 0; i < ANONYMOUS_POINTS; i += 1) expect((await fromAddress(address)).status).toBe(201);
    const refused = await fromAddress(address);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('ratelimit-limit')).toBe(String(ANONYMOUS_POINTS));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await fromAddress(neighbour)).status).toBe(201);
    expect(await redis.get(`${prefix}:address:${address}`)).toBe(String(ANONYMOUS_POINTS + 1));
  });

  it('counts requests refused with 401 (no token, a forged one) against their address, then answers 429', async () => {
    const address = freshLoopbackAddress();
    const forged = `Bearer ${await harness.issuer.sign({ subject: 'forger', claims: { role: 'ADMIN' } })}x`;
    const statuses: number[] = [];
    for (let i = 0; i < ANONYMOUS_POINTS; i += 1) {
      const headers: Record<string, string> = i % 2 === 0 ? {} : { authorization: forged };
      const response = await fetchFrom(address, `${harness.gateway.url}/api/patients`, { headers });
      statuses.push(response.status);
      expect(response.headers.get('ratelimit-limit')).toBe(String(ANONYMOUS_POINTS));
    }
    expect(statuses).toEqual(Array(ANONYMOUS_POINTS).fill(401));
    const refused = await fetchFrom(address, `${harness.gateway.url}/api/patients`, { headers: { authorization: forged } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    // A verified user from the same address counts per user only.
    const token = await harness.issuer.sign({ subject: 'user-at-a-busy-address', claims: { role: 'DOCTOR' } });
    const allowed = await fetchFrom(address, `${harness.gateway.url}/api/patients`, { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('ratelimit-limit')).toBe(String(USER_POINTS));
  });

  it('counts the public pages (/docs, /api-docs/*) per address with the same 429, Retry-After and RateLimit-* headers', async () => {
    for (const path of ['/docs', '/api-docs/gateway', '/api-docs/patients']) {
      const address = freshLoopbackAddress();
      for (let i = 0; i < ANONYMOUS_POINTS; i += 1) {
        const response = await fetchFrom(address, `${harness.gateway.url}${path}`);
        expect([path, response.status]).toEqual([path, 200]);
        expect(response.headers.get('ratelimit-remaining')).toBe(String(ANONYMOUS_POINTS - i - 1));
      }
      const refused = await fetchFrom(address, `${harness.gateway.url}${path}`);
      expect([path, refused.status]).toEqual([path, 429]);
      expect(refused.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit-policy')).toBe(`${ANONYMOUS_POINTS};w=${WINDOW_SECONDS}`);
    }
  });

  it('does not limit health or metrics', async () => {
    const address = freshLoopbackAddress();
    for (let i = 0; i < ANONYMOUS_POINTS + 2; i += 1) {
      for (const path of ['/health/live', '/metrics']) {
        const response = await fetchFrom(address, `${harness.gateway.url}${path}`);
        expect([path, response.status]).toEqual([path, 200]);
        expect(response.headers.get('ratelimit-limit')).toBeNull();
      }
    }
  });

  it('takes the client from the connection, not from an X-Forwarded-For it wrote (TRUSTED_PROXIES is empty)', async () => {
    const address = freshLoopbackAddress();
    const before = harness.stubs.auth.seen.length;
    const response = await fetchFrom(address, `${harness.gateway.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: '{}',
    });
    expect(response.status).toBe(201);
    expect(await redis.get(`${prefix}:address:${address}`)).toBe('1');
    expect(await redis.get(`${prefix}:address:203.0.113.9`)).toBeNull();
    // The service is told the client the gateway saw, and nothing the client claimed.
    expect(harness.stubs.auth.seen.slice(before).map((seen) => seen.headers['x-forwarded-for'])).toEqual([address]);
  });
});

describe('gateway behind a proxy it is told to trust (TRUSTED_PROXIES)', () => {
  const prefix = uniqueRateLimitPrefix();
  const redis = useRateLimitRedis(prefix);
  const harness = useGatewayHarness({ RATE_LIMIT_KEY_PREFIX: prefix, TRUSTED_PROXIES: '127.0.0.0/8' }, { ready: true });

  it('counts and forwards the client the proxy names in X-Forwarded-For', async () => {
    const response = await fetchFrom(freshLoopbackAddress(), `${harness.gateway.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: '{}',
    });
    expect(response.status).toBe(201);
    expect(await redis.get(`${prefix}:address:203.0.113.9`)).toBe('1');
    expect(harness.stubs.auth.seen.at(-1)?.headers['x-forwarded-for']).toBe('203.0.113.9');
  });
});

describe('gateway rate limiting while Redis is unreachable', () => {
  const harness = useGatewayHarness(async () => ({
    REDIS_URL: (await closedPortUrl()).replace('http', 'redis'),
    RATE_LIMIT_ANONYMOUS_POINTS: '1',
    RATE_LIMIT_AUTHENTICATED_POINTS: '1',
  }));

  it('lets traffic through, quickly and without RateLimit-* headers, and counts it in gateway_rate_limit_unavailable_total', async () => {
    const metricsBefore = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    const before = metricValue(metricsBefore, 'gateway_rate_limit_unavailable_total');
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${harness.gateway.url}/auth/login`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(201);
      expect(response.headers.get('ratelimit-limit')).toBeNull();
    }
    expect(Date.now() - started).toBeLessThan(2000);
    const metrics = await (await fetch(`${harness.gateway.url}/metrics`)).text();
    expect(metricValue(metrics, 'gateway_rate_limit_unavailable_total')).toBe(before + 5);
  });

  it('still passes valid tokens on (the revocation list answers from its local copy)', async () => {
    const response = await fetch(`${harness.gateway.url}/api/patients`, { headers: { authorization: `Bearer ${await harness.issuer.sign()}` } });
    expect(response.status).toBe(200);
    expect(harness.stubs.patient.seen.length).toBeGreaterThan(0);
  });

  it('says so in readiness: degraded, not down', async () => {
    const ready = await fetch(`${harness.gateway.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', details: { redis: { status: 'down' } } });
  });
});
