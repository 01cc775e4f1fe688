import { decodePatientEvent } from '@pm/contracts';
import { randomUUID } from 'node:crypto';
import { usePatientApp } from '../../testing/patient-test-context';
import { type PatientBody, patientFactory } from '../../testing/patient-factory';

jest.setTimeout(60_000);

const newPatient = patientFactory('Lifecycle', '2024-02-02');

// The outbox is read below as the record of what each change announced: delivered rows are kept.
const KEEP_DELIVERED_EVENTS = { OUTBOX_RETENTION_SECONDS: '3600' };

describe('soft delete and restore (real PostgreSQL)', () => {
  const t = usePatientApp('patient_int_lifecycle', KEEP_DELIVERED_EVENTS);
  const { send } = t;

  async function create(overrides: Record<string, unknown> = {}): Promise<PatientBody> {
    const response = await send('POST', '/patients', newPatient(overrides));
    expect(response.status).toBe(201);
    return (await response.json()) as PatientBody;
  }

  /** The event types recorded for a patient, in publication order. */
  const recordedEvents = async (patientId: string): Promise<string[]> =>
    (await t.dataSource.query('SELECT payload FROM outbox_events WHERE message_key = $1 ORDER BY id', [patientId])).map(
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

    const [row] = await t.dataSource.query('SELECT email, deleted_at FROM patients WHERE id = $1', [patient.id]);
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
    expect(t.billing.callsFor(patient.id)).toHaveLength(1);
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
    const doctor = await t.issuer.bearer('DOCTOR');
    expect((await send('POST', `/patients/${patient.id}/restore`, undefined, doctor)).status).toBe(403);
    expect((await send('GET', `/patients/${patient.id}`)).status).toBe(404);
  });
});
