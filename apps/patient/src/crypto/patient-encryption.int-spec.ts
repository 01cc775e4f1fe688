import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@pm/platform';
import { TestTokenIssuer, recreateDatabase, waitFor } from '@pm/testing';
import Redis from 'ioredis';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { patientConfigSchema } from '../config/patient.config';
import { BillingTestServer } from '../testing/billing-test-server';
import { FieldCipher, keyIdOf } from './field-cipher';
import { fieldCipherFrom } from './field-cipher.provider';
import { reencryptPatients } from './reencrypt-patients';

jest.setTimeout(60_000);

const DATABASE = 'patient_int_encryption';
const run = randomUUID().slice(0, 8);
const oldKey = randomBytes(32).toString('base64');
const newKey = randomBytes(32).toString('base64');
const blindIndexKey = randomBytes(32).toString('base64');

describe('patient fields encrypted at rest (real PostgreSQL, Redis, pg_dump)', () => {
  let issuer: TestTokenIssuer;
  let billing: BillingTestServer;
  let database: Record<string, string>;
  let app: INestApplication | undefined;
  let baseUrl: string;
  let admin: string;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  const configWith = (keys: Record<string, string>, currentKeyId: string) =>
    loadConfig(patientConfigSchema, 'patient', {
      ...database,
      ...issuer.config,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      HTTP_PORT: '1',
      LOG_LEVEL: 'silent',
      BILLING_GRPC_URL: billing.url,
      PATIENT_ENCRYPTION_KEYS: JSON.stringify(keys),
      PATIENT_ENCRYPTION_KEY_ID: currentKeyId,
      PATIENT_BLIND_INDEX_KEY: blindIndexKey,
    });

  async function start(keys: Record<string, string>, currentKeyId: string): Promise<DataSource> {
    await app?.close();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(configWith(keys, currentKeyId))] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    return app.get(DataSource);
  }

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    admin = await issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    billing = await new BillingTestServer().start();
    database = await recreateDatabase(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
    redis.disconnect();
    await billing?.stop();
    await issuer?.stop();
  });

  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: admin },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  let sequence = 0;
  function newPatient() {
    sequence += 1;
    return {
      name: `Cipher ${run} ${sequence}`,
      email: `cipher${sequence}.${run}@example.com`,
      address: `${sequence} Secretive Way ${run}`,
      dateOfBirth: `1950-0${(sequence % 9) + 1}-1${sequence % 10}`,
      registeredDate: '2024-03-03',
    };
  }

  it('stores address and birth date as ciphertext, readable through the API and absent from pg_dump and the cache', async () => {
    const dataSource = await start({ k1: oldKey }, 'k1');
    const details = newPatient();
    const created = await send('POST', '/patients', details);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const [row] = await dataSource.query('SELECT address, date_of_birth FROM patients WHERE id = $1', [id]);
    expect(keyIdOf(row.address)).toBe('k1');
    expect(keyIdOf(row.date_of_birth)).toBe('k1');
    expect(JSON.stringify(row)).not.toContain(details.address);
    expect(JSON.stringify(row)).not.toContain(details.dateOfBirth);

    const read = await send('GET', `/patients/${id}`);
    expect(await read.json()).toEqual({ id, ...details });
    // The read filled the cache: what Redis holds is sealed too.
    const cached = await redis.hget(`patient:v2:${id}`, 'p');
    expect(cached).toEqual(expect.any(String));
    expect(keyIdOf(cached!)).toBe('k1');
    for (const field of [details.name, details.email, details.address]) expect(cached).not.toContain(field);
    expect(cached).not.toContain(details.dateOfBirth);
    expect(await (await send('GET', `/patients/${id}`)).json()).toEqual({ id, ...details });

    const updated = { ...newPatient(), registeredDate: details.registeredDate };
    expect((await send('PUT', `/patients/${id}`, updated)).status).toBe(200);
    expect(await (await send('GET', `/patients/${id}`)).json()).toEqual({ id, ...updated });
    const listed = (await (await send('GET', `/patients?searchValue=${encodeURIComponent(updated.email)}`)).json()) as { patients: unknown[] };
    expect(listed.patients).toEqual([{ id, ...updated }]);

    const { stdout } = await promisify(execFile)('pg_dump', [
      '-h', database.DB_HOST, '-p', database.DB_PORT, '-U', database.DB_USER, '--data-only', '--table=patients', database.DB_NAME,
    ]);
    expect(stdout).toContain(id);
    expect(stdout).toContain(updated.email);
    for (const secret of [details.address, details.dateOfBirth, updated.address, updated.dateOfBirth]) expect(stdout).not.toContain(secret);
  });

  it('still refuses a second patient with the same email in another case', async () => {
    const details = newPatient();
    expect((await send('POST', '/patients', details)).status).toBe(201);
    const again = await send('POST', '/patients', { ...newPatient(), email: details.email.toUpperCase() });
    expect(again.status).toBe(409);
  });

  it('reads legacy plaintext rows and seals them on re-encryption', async () => {
    const dataSource = app!.get(DataSource);
    const [{ id }] = await dataSource.query(
      `INSERT INTO patients (name, email, address, date_of_birth, registered_date)
       VALUES ($1, $2, '7 Legacy Lane', '1961-02-03', '2020-01-01') RETURNING id`,
      [`Legacy ${run}`, `legacy.${run}@example.com`],
    );
    expect(await (await send('GET', `/patients/${id}`)).json()).toMatchObject({ address: '7 Legacy Lane', dateOfBirth: '1961-02-03' });

    const cipher = fieldCipherFrom(configWith({ k1: oldKey }, 'k1'));
    expect((await reencryptPatients(dataSource, cipher)).rewritten).toBe(1);
    const [row] = await dataSource.query('SELECT address, date_of_birth, birth_date_index FROM patients WHERE id = $1', [id]);
    expect([keyIdOf(row.address), keyIdOf(row.date_of_birth)]).toEqual(['k1', 'k1']);
    expect(row.birth_date_index).toBe(cipher.blindIndex('1961-02-03'));
    expect((await reencryptPatients(dataSource, cipher)).rewritten).toBe(0);
  });

  it('rotates: with a new current key every row is re-encrypted under it and stays readable', async () => {
    const before = (await app!.get(DataSource).query('SELECT id FROM patients WHERE deleted_at IS NULL ORDER BY id')) as { id: string }[];
    const expected = await Promise.all(before.map(async ({ id }) => (await send('GET', `/patients/${id}`)).json()));

    const dataSource = await start({ k1: oldKey, k2: newKey }, 'k2');
    const rotated: FieldCipher = fieldCipherFrom(configWith({ k1: oldKey, k2: newKey }, 'k2'));
    // The app's own start-up pass may already have rewritten some rows; together they cover all.
    await reencryptPatients(dataSource, rotated, { batchSize: 2 });
    const rows = (await dataSource.query('SELECT address, date_of_birth FROM patients')) as { address: string; date_of_birth: string }[];
    expect(rows.length).toBeGreaterThan(2);
    expect(new Set(rows.flatMap((row) => [keyIdOf(row.address), keyIdOf(row.date_of_birth)]))).toEqual(new Set(['k2']));

    await redis.del(before.map(({ id }) => `patient:v2:${id}`));
    const after = await Promise.all(before.map(async ({ id }) => (await send('GET', `/patients/${id}`)).json()));
    expect(after).toEqual(expected);

    // Without the old key nothing is lost: every row is under the new one.
    await start({ k2: newKey }, 'k2');
    expect(await Promise.all(before.map(async ({ id }) => (await send('GET', `/patients/${id}`)).json()))).toEqual(expected);
  });

  it('seals plaintext rows by itself at start-up, filling their birth-date index', async () => {
    const [{ id }] = await app!.get(DataSource).query(
      `INSERT INTO patients (name, email, address, date_of_birth, registered_date)
       VALUES ($1, $2, '3 Forgotten Row', '1959-09-09', '2020-01-01') RETURNING id`,
      [`Boot ${run}`, `boot.${run}@example.com`],
    );
    const dataSource = await start({ k2: newKey }, 'k2');
    const row = await waitFor(
      async () => {
        const [found] = await dataSource.query('SELECT address, date_of_birth, birth_date_index FROM patients WHERE id = $1', [id]);
        return keyIdOf(found.address) === 'k2' && keyIdOf(found.date_of_birth) === 'k2' ? found : undefined;
      },
      { description: 'the legacy row re-encrypted at start-up' },
    );
    expect(row.birth_date_index).toBe(fieldCipherFrom(configWith({ k2: newKey }, 'k2')).blindIndex('1959-09-09'));
    expect(await (await send('GET', `/patients/${id}`)).json()).toMatchObject({ address: '3 Forgotten Row', dateOfBirth: '1959-09-09' });
  });
});
