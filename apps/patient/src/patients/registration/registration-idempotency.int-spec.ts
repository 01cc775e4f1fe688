import { APP_CONFIG } from '@pm/platform';
import { randomUUID } from 'node:crypto';
import type { PatientConfig } from '../../config/patient.config';
import { usePatientApp } from '../../testing/patient-test-context';
import { IdempotencyKeyPurge, PURGE_BATCH_SIZE } from './idempotency-key-purge';
import { type PatientBody, patientFactory } from '../../testing/patient-factory';

jest.setTimeout(60_000);

const newPatient = patientFactory('Idempotent', '2024-05-05');

describe('Idempotency-Key (real PostgreSQL)', () => {
  // Delivered outbox rows are kept: a test counts what a create recorded.
  const t = usePatientApp('patient_int_idempotency', { OUTBOX_RETENTION_SECONDS: '3600' });
  const send = t.sendAs('NURSE');

  const countByEmail = async (email: string): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM patients WHERE email = $1', [email]))[0].n;

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
      expect(t.billing.callsFor(firstBody.id)).toHaveLength(1);
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
      expect(t.billing.callsFor(id)).toHaveLength(1);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM outbox_events WHERE message_key = $1', [id]);
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

  describe('Idempotency-Key expiry (IDEMPOTENCY_KEY_TTL_HOURS)', () => {
    let ttlHours: number;
    beforeAll(() => {
      ttlHours = t.app.get<PatientConfig>(APP_CONFIG).IDEMPOTENCY_KEY_TTL_HOURS;
    });

    /** Makes the key `minutes` old, as if it had been used that long ago. */
    const age = (key: string, minutes: number) =>
      t.dataSource.query('UPDATE patient_idempotency_keys SET created_at = now() - make_interval(mins => $2) WHERE idempotency_key = $1', [key, minutes]);
    const keyRow = async (key: string): Promise<{ patient_id: string; fresh: boolean } | undefined> =>
      (
        await t.dataSource.query(
          `SELECT patient_id, created_at > now() - interval '1 minute' AS fresh FROM patient_idempotency_keys WHERE idempotency_key = $1`,
          [key],
        )
      )[0];

    it('replays until the TTL, then treats the key as new: a new patient, which the key answers from then on', async () => {
      const key = `expiry-${randomUUID()}`;
      const first = newPatient();
      const made = (await (await send('POST', '/patients', first, { 'idempotency-key': key })).json()) as PatientBody;

      await age(key, ttlHours * 60 - 1);
      const replayed = await send('POST', '/patients', first, { 'idempotency-key': key });
      expect(replayed.status).toBe(201);
      expect(((await replayed.json()) as PatientBody).id).toBe(made.id);

      await age(key, ttlHours * 60 + 1);
      const second = newPatient();
      const renewed = await send('POST', '/patients', second, { 'idempotency-key': key });
      expect(renewed.status).toBe(201);
      const newcomer = (await renewed.json()) as PatientBody;
      expect(newcomer.id).not.toBe(made.id);
      expect(await countByEmail(second.email)).toBe(1);
      expect(t.billing.callsFor(newcomer.id)).toHaveLength(1);
      expect(await keyRow(key)).toEqual({ patient_id: newcomer.id, fresh: true });

      const again = await send('POST', '/patients', second, { 'idempotency-key': key });
      expect(((await again.json()) as PatientBody).id).toBe(newcomer.id);
      expect((await send('POST', '/patients', first, { 'idempotency-key': key })).status).toBe(422);
    });

    it('makes exactly one patient out of 6 simultaneous creates with one expired key, all answering it', async () => {
      const key = `expired-race-${randomUUID()}`;
      expect((await send('POST', '/patients', newPatient(), { 'idempotency-key': key })).status).toBe(201);
      await age(key, ttlHours * 60 + 1);

      const body = newPatient();
      const responses = await Promise.all(Array.from({ length: 6 }, () => send('POST', '/patients', body, { 'idempotency-key': key })));
      expect(responses.map((r) => r.status)).toEqual(Array(6).fill(201));
      const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as PatientBody).id)));
      expect(ids.size).toBe(1);
      expect(await countByEmail(body.email)).toBe(1);
      expect(t.billing.callsFor([...ids][0])).toHaveLength(1);
    });

    it('purges keys older than the TTL, batch after batch, and keeps the others', async () => {
      const fresh = `fresh-${randomUUID()}`;
      const old = `old-${randomUUID()}`;
      expect((await send('POST', '/patients', newPatient(), { 'idempotency-key': fresh })).status).toBe(201);
      expect((await send('POST', '/patients', newPatient(), { 'idempotency-key': old })).status).toBe(201);
      await age(fresh, ttlHours * 60 - 1);
      await age(old, ttlHours * 60 + 1);
      // More than one batch of expired keys, so the purge must go on after the first.
      await t.dataSource.query(
        `INSERT INTO patient_idempotency_keys (actor_id, idempotency_key, request_fingerprint, patient_id, created_at)
         SELECT 'purge-test', 'backlog-' || n, 'x', gen_random_uuid(), now() - make_interval(hours => $1 + 1)
         FROM generate_series(1, $2::int) AS n`,
        [ttlHours, PURGE_BATCH_SIZE + 5],
      );

      expect(await t.app.get(IdempotencyKeyPurge).purge()).toBeGreaterThanOrEqual(PURGE_BATCH_SIZE + 6);

      expect(await keyRow(old)).toBeUndefined();
      expect(await keyRow(fresh)).toBeDefined();
      const [{ n }] = await t.dataSource.query(
        'SELECT count(*)::int AS n FROM patient_idempotency_keys WHERE created_at < now() - make_interval(hours => $1)',
        [ttlHours],
      );
      expect(n).toBe(0);
    });
  });
});
