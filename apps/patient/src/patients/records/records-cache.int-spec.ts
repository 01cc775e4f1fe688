import { OutboxRelay } from '@pm/outbox';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { usePatientApp } from '../../testing/patient-test-context';
import { PatientCache } from './patient-cache';
import { type PatientBody, patientFactory } from '../../testing/patient-factory';

jest.setTimeout(60_000);

const newPatient = patientFactory('Cached', '2024-04-04');
const run = newPatient.run;

describe('the read cache of patients by id (real PostgreSQL and Redis)', () => {
  const t = usePatientApp('patient_int_cache');

  const send = (method: string, path: string, body?: unknown, authorization = t.admin, url = t.baseUrl) =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function create(url = t.baseUrl): Promise<PatientBody> {
    const response = await send('POST', '/patients', newPatient(), t.admin, url);
    expect(response.status).toBe(201);
    return (await response.json()) as PatientBody;
  }

  it('holds no name, email, address or birth date in clear in Redis (a raw read of the cached entry)', async () => {
    const patient = await create();
    expect((await send('GET', `/patients/${patient.id}`)).status).toBe(200);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`patient:*:${patient.id}`);
      expect(keys).toHaveLength(1);
      const raw = JSON.stringify(await redis.hgetall(keys[0]));
      const full = (await (await send('GET', `/patients/${patient.id}`)).json()) as PatientBody & { address: string };
      for (const value of [full.name, full.email, full.address, full.dateOfBirth!]) expect(raw).not.toContain(value);
      expect(raw).not.toContain(run);
    } finally {
      redis.disconnect();
    }
  });

  /** Counts the SQL statements the app sends while `action` runs (the outbox relay is paused). */
  async function statementsDuring(action: () => Promise<unknown>): Promise<string[]> {
    const relay = t.app.get(OutboxRelay);
    const logger = t.app.get(DataSource).logger;
    const original = logger.logQuery.bind(logger);
    const statements: string[] = [];
    await relay.stop();
    logger.logQuery = (query, parameters, runner) => {
      statements.push(query);
      return original(query, parameters, runner);
    };
    try {
      await action();
    } finally {
      logger.logQuery = original;
      relay.start();
    }
    return statements;
  }

  it('answers a GET by id with one SQL statement when cold and none when warm, besides its audit entry', async () => {
    const patient = await create();
    // Every audited request writes its entry before it answers: that INSERT is not the read's.
    const auditEntry = /^INSERT INTO audit_entries /;

    const cold = await statementsDuring(async () => expect((await send('GET', `/patients/${patient.id}`)).status).toBe(200));
    expect(cold.filter((sql) => auditEntry.test(sql))).toHaveLength(1);
    const reads = cold.filter((sql) => !auditEntry.test(sql));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/FROM patients WHERE id = \$1/);

    const warm = await statementsDuring(async () => {
      const response = await send('GET', `/patients/${patient.id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toBe('W/"1"');
      expect(await response.json()).toEqual(patient);
    });
    expect(warm.filter((sql) => !auditEntry.test(sql))).toEqual([]);
  });

  it('never serves a stale record: a read after PUT, DELETE or restore sees it', async () => {
    const patient = await create();
    await send('GET', `/patients/${patient.id}`);

    const changes = newPatient({ name: `Changed ${run}` });
    expect((await send('PUT', `/patients/${patient.id}`, changes)).status).toBe(200);
    const afterPut = await send('GET', `/patients/${patient.id}`);
    expect(afterPut.headers.get('etag')).toBe('W/"2"');
    expect(await afterPut.json()).toMatchObject({ name: `Changed ${run}`, email: changes.email });

    expect((await send('DELETE', `/patients/${patient.id}`)).status).toBe(204);
    expect((await send('GET', `/patients/${patient.id}`)).status).toBe(404);

    expect((await send('POST', `/patients/${patient.id}/restore`)).status).toBe(200);
    const afterRestore = await send('GET', `/patients/${patient.id}`);
    expect(afterRestore.status).toBe(200);
    expect(afterRestore.headers.get('etag')).toBe('W/"4"');
  });

  it('caches the stored record, not the BILLING view of it', async () => {
    const patient = await create();
    const asBilling = await send('GET', `/patients/${patient.id}`, undefined, await t.issuer.bearer('BILLING'));
    expect(Object.keys((await asBilling.json()) as object).sort()).toEqual(['address', 'email', 'id', 'name']);

    const asDoctor = await send('GET', `/patients/${patient.id}`, undefined, await t.issuer.bearer('DOCTOR'));
    expect(await asDoctor.json()).toEqual(patient);
  });

  it('keeps an older read from replacing a newer write in the cache', async () => {
    const patient = await create();
    await send('PUT', `/patients/${patient.id}`, newPatient({ name: `Newer ${run}` }));
    const cache = t.app.get(PatientCache);
    const newer = await cache.get(patient.id);
    expect(newer).toMatchObject({ name: `Newer ${run}`, version: 2 });

    await cache.put(Object.assign(Object.create(Object.getPrototypeOf(newer)), newer, { name: 'Older read', version: 1 }));
    expect(await cache.get(patient.id)).toMatchObject({ name: `Newer ${run}`, version: 2 });
  });

  it('reads and writes from the database, still 200, when the cache Redis is down', async () => {
    const cut = await t.boot({ CACHE_REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const url = await cut.getUrl();
      const patient = await create(url);
      const started = Date.now();
      const read = await send('GET', `/patients/${patient.id}`, undefined, t.admin, url);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(patient);
      expect((await send('PUT', `/patients/${patient.id}`, newPatient({ name: `Uncached ${run}` }), t.admin, url)).status).toBe(200);
      const again = await send('GET', `/patients/${patient.id}`, undefined, t.admin, url);
      expect(await again.json()).toMatchObject({ name: `Uncached ${run}` });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await cut.close();
    }
  });
});
