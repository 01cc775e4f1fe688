import { generateKeyPair } from 'jose';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPortUrl, useGatewayHarness, type Echo } from '../testing/gateway-test-env';

const UPSTREAM_TIMEOUT_MS = 500;
// Auth may slow a login on purpose (an account under attack), so the gateway waits longer for it.
const AUTH_UPSTREAM_TIMEOUT_MS = 1500;
const PROBLEM_JSON = /^application\/problem\+json/;

describe('gateway proxy (real upstream servers, real JWKS, real Redis)', () => {
  const harness = useGatewayHarness({
    UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
    AUTH_UPSTREAM_TIMEOUT_MS: String(AUTH_UPSTREAM_TIMEOUT_MS),
  });
  let token: string;

  beforeAll(async () => {
    token = await harness.issuer.sign();
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${harness.gateway.url}${path}`, init);
  const withToken = (headers: Record<string, string> = {}, bearer = token) => ({ ...headers, authorization: `Bearer ${bearer}` });

  describe('token check', () => {
    it('answers 401 problem+json with WWW-Authenticate: Bearer without a token, and calls no service', async () => {
      const before = harness.stubs.patient.seen.length;
      const response = await call('/api/patients');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(harness.stubs.patient.seen.length).toBe(before);
    });

    const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const badTokens: [string, () => Promise<string>][] = [
      ['signed with another key', async () => harness.issuer.sign({ key: (await generateKeyPair('ES256')).privateKey })],
      [
        'alg none',
        async () =>
          `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'user-1', role: 'ADMIN', jti: 'j', iss: 'patient-management-auth', aud: 'patient-management', exp: Math.floor(Date.now() / 1000) + 300 })}.`,
      ],
      ['expired', async () => harness.issuer.sign({ expiresAt: Math.floor(Date.now() / 1000) - 60 })],
      ['for another audience', async () => harness.issuer.sign({ audience: 'someone-else' })],
      ['from another issuer', async () => harness.issuer.sign({ issuer: 'evil' })],
      ['without a known role', async () => harness.issuer.sign({ claims: { role: 'ROOT' } })],
      ['not a JWT at all', async () => 'garbage'],
    ];

    it.each(badTokens)('answers 401 to a token %s', async (_what, makeToken) => {
      const before = harness.stubs.patient.seen.length;
      const response = await call('/api/patients', { headers: withToken({}, await makeToken()) });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(harness.stubs.patient.seen.length).toBe(before);
    });

    it('answers 401 to a non-Bearer Authorization header', async () => {
      const response = await call('/api/billing/accounts/x', { headers: { authorization: `Basic ${token}` } });
      expect(response.status).toBe(401);
    });
  });

  describe('with a valid token', () => {
    it('proxies with the path rewritten and Authorization, X-Request-Id, X-Forwarded-* set', async () => {
      const response = await call('/api/patients/123?page=2&sort=asc', {
        headers: withToken({ 'x-request-id': 'client-req-1', 'x-forwarded-prefix': '/evil' }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('client-req-1');
      expect(response.headers.get('etag')).toBe('"v1"');
      const echo = (await response.json()) as Echo;
      expect(echo).toMatchObject({ service: 'patients', method: 'GET', url: '/patients/123?page=2&sort=asc' });
      expect(echo.headers).toMatchObject({
        authorization: `Bearer ${token}`,
        'x-request-id': 'client-req-1',
        'x-forwarded-prefix': '/api',
        'x-forwarded-proto': 'http',
      });
      expect(echo.headers['x-forwarded-for']).toMatch(/127\.0\.0\.1$/);
    });

    it('gives a request without an id a fresh one, the same to the client and the service', async () => {
      const response = await call('/api/patients', { headers: withToken() });
      const echo = (await response.json()) as Echo;
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(echo.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
    });

    it('streams a POST body through intact and passes status, Location and ETag back', async () => {
      const body = JSON.stringify({ name: 'Zoë Ådams', email: 'zoe@example.com', notes: 'x'.repeat(300_000) });
      const response = await call('/api/patients', {
        method: 'POST',
        headers: withToken({ 'content-type': 'application/json' }),
        body,
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('location')).toBe('/api/patients/new-id');
      expect(response.headers.get('etag')).toBe('"v1"');
      const echo = (await response.json()) as Echo;
      expect(echo.method).toBe('POST');
      expect(echo.body).toBe(body);
    });

    it("passes a service's error response through unchanged", async () => {
      const response = await call('/api/patients/missing', { headers: withToken() });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such thing' });
    });

    it.each([
      ['/api/billing/accounts/abc', 'billing', '/billing/accounts/abc', 'PUT'],
      ['/api/analytics/summary', 'analytics', '/analytics/summary', 'GET'],
      ['/api/appointments', 'appointment', '/appointments', 'PUT'],
      ['/api/appointments/7', 'appointment', '/appointments/7', 'PUT'],
    ] as const)('routes %s to the %s service as %s (%s)', async (path, service, upstreamPath, method) => {
      const body = method === 'GET' ? undefined : '{"a":1}';
      const response = await call(path, { method, headers: withToken({ 'content-type': 'application/json' }), body });
      expect(response.status).toBe(200);
      const seen = harness.stubs[service].seen.at(-1);
      expect(seen).toMatchObject({ method, url: upstreamPath, body: body ?? '' });
    });
  });

  describe('auth routes', () => {
    it('proxies /auth/login without a token to auth /login with the body intact', async () => {
      const body = JSON.stringify({ email: 'testuser@test.com', password: 'password123' });
      const response = await call('/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(201);
      const seen = harness.stubs.auth.seen.at(-1)!;
      expect(seen).toMatchObject({ method: 'POST', url: '/login', body });
      expect(seen.headers['x-forwarded-prefix']).toBe('/auth');
    });

    it('passes an Authorization header to auth unchecked (auth checks its own tokens)', async () => {
      const response = await call('/auth/validate', { headers: { authorization: 'Bearer not-a-valid-token' } });
      expect(response.status).toBe(200);
      expect(harness.stubs.auth.seen.at(-1)).toMatchObject({ url: '/validate', headers: { authorization: 'Bearer not-a-valid-token' } });
    });

    it('serves the JWKS path', async () => {
      await call('/auth/.well-known/jwks.json');
      expect(harness.stubs.auth.seen.at(-1)?.url).toBe('/.well-known/jwks.json');
    });
  });

  describe('failures', () => {
    it('answers 504 problem+json when a service stays silent for UPSTREAM_TIMEOUT_MS', async () => {
      const started = Date.now();
      const response = await call('/api/billing/hang', { headers: withToken() });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(504);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 504, detail: `The billing service did not answer within ${UPSTREAM_TIMEOUT_MS} ms` });
      expect(elapsed).toBeGreaterThanOrEqual(UPSTREAM_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(UPSTREAM_TIMEOUT_MS + 1500);
    });

    it('waits AUTH_UPSTREAM_TIMEOUT_MS for auth (a slowed login), not UPSTREAM_TIMEOUT_MS, before its 504', async () => {
      const started = Date.now();
      const response = await call('/auth/hang', { method: 'POST' });
      const elapsed = Date.now() - started;
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({ status: 504, detail: `The auth service did not answer within ${AUTH_UPSTREAM_TIMEOUT_MS} ms` });
      expect(elapsed).toBeGreaterThanOrEqual(AUTH_UPSTREAM_TIMEOUT_MS - 50);
    });

    it.each(['/api/unknown', '/api', '/api/patientsx', '/nope'])('answers 404 problem+json for %s', async (path) => {
      const response = await call(path, { headers: withToken() });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
      expect(await response.json()).toMatchObject({ status: 404, title: 'Not Found' });
    });

    it('refuses a path with dot segments (fetch would normalize it, so it is sent raw)', async () => {
      const port = new URL(harness.gateway.url).port;
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/api/patients/../billing/accounts', headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(400);
      expect(harness.stubs.billing.seen.some((seen) => seen.url.includes('..'))).toBe(false);
    });
  });

  it('records proxied requests in http_request_duration_seconds under the route template', async () => {
    await call('/api/patients/some-id-1', { headers: withToken() });
    const metrics = await (await call('/metrics')).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/patients\/\*",status_code="200"/);
    expect(metrics).not.toContain('some-id-1');
  });
});

describe('gateway proxy to a service that is down', () => {
  const harness = useGatewayHarness(async () => ({ PATIENT_SERVICE_URL: await closedPortUrl() }));

  it('answers 503 problem+json naming the service, within a second', async () => {
    const started = Date.now();
    const response = await fetch(`${harness.gateway.url}/api/patients`, { headers: { authorization: `Bearer ${await harness.issuer.sign()}` } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    const body = await response.json();
    expect(body).toMatchObject({ status: 503, detail: 'The patient service is unavailable' });
    expect(JSON.stringify(body)).not.toContain('127.0.0.1');
  });
});

describe("gateway whose copy of auth's signing keys cannot be fetched", () => {
  const harness = useGatewayHarness(async () => ({ AUTH_JWKS_URL: `${await closedPortUrl()}/.well-known/jwks.json` }));

  it('answers 503 problem+json with Retry-After naming the keys, not 401, and calls no service', async () => {
    const response = await fetch(`${harness.gateway.url}/api/patients`, { headers: { authorization: `Bearer ${await harness.issuer.sign()}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ status: 503, detail: "Access tokens cannot be verified right now: auth's signing keys cannot be fetched" });
    expect(harness.stubs.patient.seen).toHaveLength(0);
  });
});

describe('gateway proxy to a service that breaks off its answer', () => {
  // Starts answering (status and headers sent), then drops the connection mid-body.
  const broken = createServer((_req, res) => {
    // Chunked: a clean end from the gateway would make the truncated body look complete.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"partial":');
    setTimeout(() => res.destroy(), 20);
  });
  const harness = useGatewayHarness(async () => {
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    return { PATIENT_SERVICE_URL: `http://127.0.0.1:${(broken.address() as AddressInfo).port}` };
  });
  afterAll(() => new Promise((resolve) => broken.close(resolve)));

  it('breaks the connection to the client too, rather than pass a truncated body off as whole', async () => {
    const response = await fetch(`${harness.gateway.url}/api/patients`, { headers: { authorization: `Bearer ${await harness.issuer.sign()}` } });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});
