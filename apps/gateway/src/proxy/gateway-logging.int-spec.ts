import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { closedPortUrl, startGateway, useGatewayHarness, type RunningGateway } from '../testing/gateway-test-env';

interface LogLine {
  level: number;
  message: string;
  requestId?: string;
  [key: string]: unknown;
}

/**
 * The gateway's log lines for proxied requests, read from its real logger (info level): one
 * gateway with the billing service down, one with Redis unreachable, so the warnings of those
 * paths are logged too. Both log through the same logger (nestjs-pino keeps one per process).
 */
describe('gateway logs (real logger, real upstream servers)', () => {
  const logged = { LOG_LEVEL: 'info', MAX_BODY_BYTES: '100' };
  const harness = useGatewayHarness(async () => ({ ...logged, BILLING_SERVICE_URL: await closedPortUrl() }), { ready: true });
  let withoutRedis: RunningGateway;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    withoutRedis = await startGateway({ ...harness.env, ...logged, REDIS_URL: (await closedPortUrl()).replace('http', 'redis') });
    // The logger used outside Nest's request scope, which is where the pipeline runs.
    const { logger } = await harness.gateway.app.resolve(PinoLogger);
    // pino keeps its destination under a symbol its types do not declare.
    Reflect.set(logger, pino.symbols.streamSym, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  });

  afterAll(() => withoutRedis?.app.close());

  const call = async (path: string, init: RequestInit = {}, through = harness.gateway) => {
    const response = await fetch(`${through.url}${path}`, init);
    await response.arrayBuffer();
    return response;
  };

  it('puts the request id on every line of every proxied request, whatever the outcome', async () => {
    const admin = { authorization: `Bearer ${await harness.issuer.sign()}` };
    const nurse = { authorization: `Bearer ${await harness.issuer.sign({ claims: { role: 'NURSE' } })}` };
    const outcomes = [
      await call('/api/patients', { headers: { ...admin, 'x-request-id': 'log-ok' } }),
      await call('/api/patients', { headers: { 'x-request-id': 'log-401' } }),
      await call('/api/analytics/patients/summary', { headers: { ...nurse, 'x-request-id': 'log-403' } }),
      await call('/api/billing/accounts/p1', { headers: { ...admin, 'x-request-id': 'log-503' } }),
      await call('/api/patients', { method: 'POST', headers: { ...admin, 'x-request-id': 'log-413' }, body: 'x'.repeat(101) }),
      await call('/api/nowhere', { headers: { 'x-request-id': 'log-404' } }),
      ...(await Promise.all(
        [1, 2, 3, 4, 5].map((n) => call('/auth/login', { method: 'POST', headers: { 'x-request-id': `log-login-${n}` }, body: '{}' }, withoutRedis)),
      )),
      await call('/api/patients', { headers: { ...admin, 'x-request-id': 'log-no-redis' } }, withoutRedis),
    ];
    expect(outcomes.map((r) => r.status)).toEqual([200, 401, 403, 503, 413, 404, 201, 201, 201, 201, 201, 200]);

    expect(lines.length).toBeGreaterThanOrEqual(outcomes.length);
    for (const line of lines) expect([line.message, line.requestId]).toEqual([line.message, expect.stringMatching(/^log-/)]);

    const completed = lines.filter((l) => l.message === 'request completed');
    expect(completed.map((l) => [l.requestId, l.statusCode])).toEqual(
      expect.arrayContaining([
        ['log-ok', 200],
        ['log-401', 401],
        ['log-403', 403],
        ['log-503', 503],
        ['log-413', 413],
        ['log-404', 404],
        ['log-login-1', 201],
        ['log-no-redis', 200], // valid tokens are served without Redis
      ]),
    );
    expect(lines.find((l) => l.message === 'Upstream request failed')).toMatchObject({ requestId: 'log-503', service: 'billing' });
  });

  it('warns once that rate limiting is off while Redis is unreachable, not once per request', () => {
    const warnings = lines.filter((l) => String(l.message).startsWith('Rate limiting is off'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, requestId: expect.stringMatching(/^log-/) });
  });
});
