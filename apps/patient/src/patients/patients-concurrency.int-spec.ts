import { INestApplication } from '@nestjs/common';
import { TestTokenIssuer, recreateDatabase } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BillingTestServer } from '../testing/billing-test-server';
import { startPatientApp } from '../testing/patient-test-app';

jest.setTimeout(60_000);

const run = randomUUID().slice(0, 8);
let sequence = 0;
function newPatient(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    name: `Concurrent ${run} ${sequence}`,
    email: `c${sequence}.${run}@example.com`,
    address: `${sequence} Race Ave`,
    // One birth date per patient: test names are alike, and alike names born the same day are likely duplicates (409).
    dateOfBirth: new Date(Date.UTC(1950, 0, sequence)).toISOString().slice(0, 10),
    registeredDate: '2024-05-05',
    ...overrides,
  };
}

interface PatientBody {
  id: string;
  name: string;
  email: string;
}

describe('If-Match and Idempotency-Key (real PostgreSQL)', () => {
  let app: INestApplication;
  let baseUrl: string;
  let billing: BillingTestServer;
  let issuer: TestTokenIssuer;
  let nurse: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    nurse = await issuer.bearer('NURSE', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    billing = await new BillingTestServer().start();
    const database = await recreateDatabase('patient_int_concurrency');
    app = await startPatientApp({ database, issuer, billingUrl: billing.url });
    baseUrl = await app.getUrl();
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await billing?.stop();
    await issuer?.stop();
  });

  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: nurse, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function create(): Promise<PatientBody> {
    const response = await send('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    return (await response.json()) as PatientBody;
  }

  const countByEmail = async (email: string): Promise<number> =>
    (await dataSource.query('SELECT count(*)::int AS n FROM patients WHERE email = $1', [email]))[0].n;

  describe('PUT with If-Match', () => {
    it('updates at the current version, answers 412 problem+json when stale, and still updates without If-Match', async () => {
      const patient = await create();
      const read = await send('GET', `/patients/${patient.id}`);
      expect(read.headers.get('etag')).toBe('W/"1"');

      const fresh = await send('PUT', `/patients/${patient.id}`, newPatient({ name: 'First writer' }), { 'if-match': 'W/"1"' });
      expect(fresh.status).toBe(200);
      expect(fresh.headers.get('etag')).toBe('W/"2"');

      const stale = await send('PUT', `/patients/${patient.id}`, newPatient({ name: 'Lost update' }), { 'if-match': 'W/"1"' });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await stale.json()).toMatchObject({ status: 412, title: 'Precondition Failed' });
      expect((await (await send('GET', `/patients/${patient.id}`)).json()) as PatientBody).toMatchObject({ name: 'First writer' });

      const unconditional = await send('PUT', `/patients/${patient.id}`, newPatient({ name: 'Compat client' }));
      expect(unconditional.status).toBe(200);
      expect(unconditional.headers.get('etag')).toBe('W/"3"');
    });

    it('lets exactly one of two simultaneous updates from the same version win', async () => {
      const patient = await create();
      const statuses = await Promise.all(
        ['A', 'B'].map(async (who) => (await send('PUT', `/patients/${patient.id}`, newPatient({ name: `Writer ${who}` }), { 'if-match': 'W/"1"' })).status),
      );
      expect(statuses.sort()).toEqual([200, 412]);
      const [{ version }] = await dataSource.query('SELECT version FROM patients WHERE id = $1', [patient.id]);
      expect(version).toBe(2);
    });

    it('answers 404 for an unknown patient even with If-Match', async () => {
      const response = await send('PUT', `/patients/${randomUUID()}`, newPatient(), { 'if-match': 'W/"1"' });
      expect(response.status).toBe(404);
    });
  });

  describe('POST with Idempotency-Key', () => {
    it('answers a retry with the first result (201, same body and Location) and makes one patient and one account', async () => {
      const body = newPatient();
      const key = `retry-${randomUUID()}`;
      const first = await send('POST', '/patients', body, { 'idempotency-key': key, 'x-forwarded-prefix': '/api' });
      const retried = await send('POST', '/patients', body, { 'idempotency-key': key, 'x-forwarded-prefix': '/api' });

      expect(first.status).toBe(201);
      expect(retried.status).toBe(201);
      const firstBody = (await first.json()) as PatientBody;
      expect(await retried.json()).toEqual(firstBody);
      expect(retried.headers.get('location')).toBe(first.headers.get('location'));
      expect(await countByEmail(body.email)).toBe(1);
      expect(billing.callsFor(firstBody.id)).toHaveLength(1);
    });

    it('answers 422 problem naming the header when the key comes back with another body', async () => {
      const key = `reuse-${randomUUID()}`;
      const body = newPatient();
      expect((await send('POST', '/patients', body, { 'idempotency-key': key })).status).toBe(201);

      const other = await send('POST', '/patients', { ...body, address: 'Somewhere else' }, { 'idempotency-key': key });
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await other.json()).toMatchObject({ status: 422, errors: { 'Idempotency-Key': expect.any(String) } });
      expect(await countByEmail(body.email)).toBe(1);
    });

    it('makes exactly one patient out of 10 simultaneous creates with one key, all answering it', async () => {
      const body = newPatient();
      const key = `race-${randomUUID()}`;
      const responses = await Promise.all(Array.from({ length: 10 }, () => send('POST', '/patients', body, { 'idempotency-key': key })));

      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
      const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as PatientBody).id)));
      expect(ids.size).toBe(1);
      expect(await countByEmail(body.email)).toBe(1);
      const [id] = [...ids];
      expect(billing.callsFor(id)).toHaveLength(1);
      const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM outbox_events WHERE message_key = $1', [id]);
      expect(n).toBe(1);
    });

    it('answers 400 naming the header for a malformed key, and creates nothing', async () => {
      const body = newPatient();
      const response = await send('POST', '/patients', body, { 'idempotency-key': 'x'.repeat(256) });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errors: { 'Idempotency-Key': expect.any(String) } });
      expect(await countByEmail(body.email)).toBe(0);
    });
  });
});
