import { recreateDatabase, waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { PrivateRedisServer } from '../infrastructure/local/redis-server.mjs';
import { serviceEnvironments, servicePorts } from '../infrastructure/local/services.mjs';
import { ServiceProcess } from '../infrastructure/local/service-process.mjs';

/**
 * A Redis outage under traffic, on built services as their own processes: auth, the patient
 * service and the gateway all on a private redis-server (no persistence: it comes back empty),
 * stopped and started again. Clinicians keep working; revocations hold and spread. Ports +30000,
 * databases *_redis_outage; Kafka is the shared one.
 */
jest.setTimeout(300_000);

const OFFSET = 30000;
const ports = servicePorts(OFFSET);
const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
const patientUrl = `http://127.0.0.1:${ports.patient}`;
const DEMO_PATIENT = '123e4567-e89b-12d3-a456-426614174000';
// "Within seconds of Redis returning".
const SPREAD_MS = 5000;

const redis = new PrivateRedisServer({ name: 'redis-outage-e2e' });
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  await redis.start();
  const run = randomUUID().slice(0, 8);
  const environments = serviceEnvironments({ offset: OFFSET, databaseSuffix: '_redis_outage', groupSuffix: `-redis-outage-${run}`, demoSeed: true });
  const shared = { REDIS_URL: redis.url, LOG_LEVEL: 'info' };
  const auth = new ServiceProcess('auth', { ...environments.auth, ...shared, ...(await recreateDatabase('auth_redis_outage')) }, `http://127.0.0.1:${ports.auth}/health/ready`, 'redis-outage');
  const patient = new ServiceProcess('patient', { ...environments.patient, ...shared, ...(await recreateDatabase('patient_redis_outage')) }, `${patientUrl}/health/ready`, 'redis-outage');
  const gateway = new ServiceProcess('gateway', { ...environments.gateway, ...shared }, `${gatewayUrl}/health/ready`, 'redis-outage');
  for (const service of [auth, patient, gateway]) {
    await service.start();
    processes.push(service);
  }
});

afterAll(async () => {
  for (const service of processes.reverse()) await service.stop();
  await redis.stop();
});

async function call(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

async function login(email: string): Promise<string> {
  const answer = await call(gatewayUrl, 'POST', '/auth/login', undefined, { email, password: 'password123' });
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

/** The patient read through the gateway and straight at the patient service. */
const readThroughGateway = (token: string) => call(gatewayUrl, 'GET', `/api/patients/${DEMO_PATIENT}`, token);
const readAtPatient = (token: string) => call(patientUrl, 'GET', `/patients/${DEMO_PATIENT}`, token);

describe('a Redis outage', () => {
  it('keeps clinicians working, keeps earlier revocations, and spreads a logout made during it once Redis is back', async () => {
    const clinician = await login('doctor@test.com');
    const loggedOutBefore = await login('nurse@test.com');
    const loggingOutDuring = await login('nurse@test.com');
    expect((await call(gatewayUrl, 'POST', '/auth/logout', loggedOutBefore)).status).toBe(204);
    expect((await readThroughGateway(clinician)).status).toBe(200);

    // Traffic all along: a clinician reading a patient through the gateway and at the service.
    const statuses: number[] = [];
    let traffic = true;
    const load = (async () => {
      while (traffic) {
        const [viaGateway, direct] = await Promise.all([readThroughGateway(clinician), readAtPatient(clinician)]);
        statuses.push(viaGateway.status, direct.status);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    try {
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 1000));

      for (const read of [readThroughGateway, readAtPatient]) {
        expect((await read(clinician)).status).toBe(200);
        expect((await read(loggedOutBefore)).status).toBe(401);
      }
      expect((await call(gatewayUrl, 'GET', '/auth/me', loggedOutBefore)).status).toBe(401);
      expect((await call(gatewayUrl, 'GET', '/api/patients', clinician)).status).toBe(200);

      const logout = await call(gatewayUrl, 'POST', '/auth/logout', loggingOutDuring);
      expect(logout.status).toBe(204);
      expect((await call(gatewayUrl, 'GET', '/auth/me', loggingOutDuring)).status).toBe(401); // auth knows at once

      for (const url of [gatewayUrl, `http://127.0.0.1:${ports.auth}`, patientUrl]) {
        const ready = await call(url, 'GET', '/health/ready');
        expect([url, ready.status, ready.body.status, ready.body.details?.redis]).toEqual([url, 200, 'degraded', { status: 'down' }]);
      }
      const system = await call(gatewayUrl, 'GET', '/health/system');
      expect(system.body.services.auth.status).toBe('degraded');
      expect(system.body.services.patient.status).toBe('degraded');

      await redis.start(); // empty: it saved nothing
      const back = Date.now();
      await waitFor(
        async () => (await readThroughGateway(loggingOutDuring)).status === 401 && (await readAtPatient(loggingOutDuring)).status === 401,
        { timeoutMs: SPREAD_MS, intervalMs: 100, description: 'the logout made during the outage to hold at the gateway and at the patient service' },
      );
      process.stdout.write(`redis outage: a logout made during it held everywhere ${Date.now() - back} ms after Redis was back\n`);
      for (const read of [readThroughGateway, readAtPatient]) expect((await read(loggedOutBefore)).status).toBe(401);
      await waitFor(async () => (await call(patientUrl, 'GET', '/health/ready')).body.status !== 'degraded', { timeoutMs: SPREAD_MS });
    } finally {
      traffic = false;
      await load;
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
