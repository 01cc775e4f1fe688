import { INestApplication } from '@nestjs/common';
import { decodePatientEvent } from '@pm/contracts';
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
    name: `Lifecycle ${run} ${sequence}`,
    email: `l${sequence}.${run}@example.com`,
    address: `${sequence} Undo Lane`,
    // One birth date per patient: test names are alike, and alike names born the same day are likely duplicates (409).
    dateOfBirth: new Date(Date.UTC(1950, 0, sequence)).toISOString().slice(0, 10),
    registeredDate: '2024-02-02',
    ...overrides,
  };
}

interface PatientBody {
  id: string;
  name: string;
  email: string;
}

describe('soft delete and restore (real PostgreSQL)', () => {
  let app: INestApplication;
  let baseUrl: string;
  let billing: BillingTestServer;
  let issuer: TestTokenIssuer;
  let admin: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    admin = await issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    billing = await new BillingTestServer().start();
    const database = await recreateDatabase('patient_int_lifecycle');
    app = await startPatientApp({ database, issuer, billingUrl: billing.url });
    baseUrl = await app.getUrl();
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await billing?.stop();
    await issuer?.stop();
  });

  const send = (method: string, path: string, body?: unknown, authorization = admin) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function create(overrides: Record<string, unknown> = {}): Promise<PatientBody> {
    const response = await send('POST', '/patients', newPatient(overrides));
    expect(response.status).toBe(201);
    return (await response.json()) as PatientBody;
  }

  /** The event types recorded for a patient, in publication order. */
  const recordedEvents = async (patientId: string): Promise<string[]> =>
    (await dataSource.query('SELECT payload FROM outbox_events WHERE message_key = $1 ORDER BY id', [patientId])).map(
      (row: { payload: Buffer }) => decodePatientEvent(row.payload).event_type,
    );

  it('hides a deleted patient from reads, lists and writes, but keeps the row', async () => {
    const patient = await create();
    expect((await send('DELETE', `/patients/${patient.id}`)).status).toBe(204);

    expect((await send('GET', `/patients/${patient.id}`)).status).toBe(404);
    const page = (await (await send('GET', `/patients?searchValue=${encodeURIComponent(patient.email)}`)).json()) as { totalElements: number };
    expect(page.totalElements).toBe(0);
    expect((await send('PUT', `/patients/${patient.id}`, newPatient())).status).toBe(404);
    expect((await send('DELETE', `/patients/${patient.id}`)).status).toBe(404);

    const [row] = await dataSource.query('SELECT email, deleted_at FROM patients WHERE id = $1', [patient.id]);
    expect(row).toEqual({ email: patient.email, deleted_at: expect.any(Date) });
    expect(await recordedEvents(patient.id)).toEqual(['PATIENT_CREATED', 'PATIENT_DELETED']);
  });

  it('restores a deleted patient (ADMIN): 200 with the record, readable again, announced as PATIENT_CREATED', async () => {
    const patient = await create();
    expect((await send('DELETE', `/patients/${patient.id}`)).status).toBe(204);

    const restored = await send('POST', `/patients/${patient.id}/restore`);
    expect(restored.status).toBe(200);
    expect(await restored.json()).toEqual(patient);
    expect(restored.headers.get('etag')).toBe('W/"3"');
    expect(await (await send('GET', `/patients/${patient.id}`)).json()).toEqual(patient);
    expect(await recordedEvents(patient.id)).toEqual(['PATIENT_CREATED', 'PATIENT_DELETED', 'PATIENT_CREATED']);
    expect(billing.callsFor(patient.id)).toHaveLength(1);
  });

  it('frees a deleted email for another patient and refuses (409) a restore that would collide', async () => {
    const patient = await create();
    expect((await send('DELETE', `/patients/${patient.id}`)).status).toBe(204);
    const successor = await create({ email: patient.email.toUpperCase() });

    const refused = await send('POST', `/patients/${patient.id}/restore`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await refused.json()).toMatchObject({ status: 409, errors: { email: expect.any(String) } });
    expect((await send('GET', `/patients/${patient.id}`)).status).toBe(404);
    expect((await send('GET', `/patients/${successor.id}`)).status).toBe(200);
    expect(await recordedEvents(patient.id)).toEqual(['PATIENT_CREATED', 'PATIENT_DELETED']);
  });

  it('answers a live patient as it is, an unknown one 404, and refuses a DOCTOR (403)', async () => {
    const patient = await create();
    const same = await send('POST', `/patients/${patient.id}/restore`);
    expect(same.status).toBe(200);
    expect(await same.json()).toEqual(patient);
    expect(await recordedEvents(patient.id)).toEqual(['PATIENT_CREATED']);

    expect((await send('POST', `/patients/${randomUUID()}/restore`)).status).toBe(404);
    expect((await send('POST', '/patients/not-a-uuid/restore')).status).toBe(400);

    expect((await send('DELETE', `/patients/${patient.id}`)).status).toBe(204);
    const doctor = await issuer.bearer('DOCTOR');
    expect((await send('POST', `/patients/${patient.id}/restore`, undefined, doctor)).status).toBe(403);
    expect((await send('GET', `/patients/${patient.id}`)).status).toBe(404);
  });
});
