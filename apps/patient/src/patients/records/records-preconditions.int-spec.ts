import { randomUUID } from 'node:crypto';
import { type PatientBody, patientFactory } from '../../testing/patient-factory';
import { usePatientApp } from '../../testing/patient-test-context';

jest.setTimeout(60_000);

const newPatient = patientFactory('Concurrent', '2024-05-05');

describe('If-Match (real PostgreSQL)', () => {
  const t = usePatientApp('patient_int_concurrency');
  const send = t.sendAs('NURSE');

  async function create(): Promise<PatientBody> {
    const response = await send('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    return (await response.json()) as PatientBody;
  }

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
      const [{ version }] = await t.dataSource.query('SELECT version FROM patients WHERE id = $1', [patient.id]);
      expect(version).toBe(2);
    });

    it('answers 404 for an unknown patient even with If-Match', async () => {
      const response = await send('PUT', `/patients/${randomUUID()}`, newPatient(), { 'if-match': 'W/"1"' });
      expect(response.status).toBe(404);
    });
  });
});
