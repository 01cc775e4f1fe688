import { FHIR_JSON } from '@pm/fhir';
import { accessMatrix, fhirSchemaErrors } from '@pm/testing';
import type { Appointment, Bundle, OperationOutcome } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AppointmentStatus } from '../appointments/appointment.entity';
import { useAppointmentApp } from '../testing/appointment-test-app';

jest.setTimeout(60_000);

const PATIENT = randomUUID();
const OTHER_PATIENT = randomUUID();
const DOCTOR = randomUUID();

describe('FHIR R4 Appointment read and search (real PostgreSQL, JWKS)', () => {
  const t = useAppointmentApp('appointment_fhir_int_test');
  /** Appointment ids by the day they start, for PATIENT. */
  const ids: Record<string, string> = {};

  const insert = async (patientId: string, day: string, hour: number, status: AppointmentStatus, reason = 'Follow-up'): Promise<string> => {
    const start = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
    const rows: { id: string }[] = await t.app.get(DataSource).query(
      `INSERT INTO appointments (patient_id, doctor_id, start_time, end_time, reason, status) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [patientId, DOCTOR, start, new Date(start.getTime() + 30 * 60_000), reason, status],
    );
    return rows[0].id;
  };

  beforeAll(async () => {
    await t.app.get(DataSource).query(`INSERT INTO patients_directory (patient_id, name, deleted) VALUES ($1, 'Ada Lovelace', false)`, [PATIENT]);
    ids['2027-03-01'] = await insert(PATIENT, '2027-03-01', 9, 'COMPLETED');
    ids['2027-03-02'] = await insert(PATIENT, '2027-03-02', 9, 'CHECKED_IN');
    ids['2027-03-03'] = await insert(PATIENT, '2027-03-03', 9, 'SCHEDULED');
    ids['2027-03-04'] = await insert(PATIENT, '2027-03-04', 9, 'CANCELLED');
    ids['2027-03-05'] = await insert(PATIENT, '2027-03-05', 23, 'NO_SHOW', '');
    await insert(OTHER_PATIENT, '2027-03-03', 12, 'SCHEDULED');
  });

  const get = (path: string, authorization: string | null = t.doctor, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}/fhir/R4/${path}`, { headers: { ...headers, ...(authorization ? { authorization } : {}) } });

  const fhirJson = async <T>(response: Response, status = 200): Promise<T> => {
    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({ status, type: expect.stringContaining(FHIR_JSON) });
    return (await response.json()) as T;
  };

  const search = async (query: string): Promise<Bundle<Appointment>> => fhirJson<Bundle<Appointment>>(await get(`Appointment?${query}`));
  const startDays = (bundle: Bundle<Appointment>) => (bundle.entry ?? []).map((entry) => entry.resource!.start!.slice(0, 10));

  describe('read', () => {
    it('answers the appointment as a FHIR Appointment that validates against the R4 schema', async () => {
      const appointment = await fhirJson<Appointment>(await get(`Appointment/${ids['2027-03-03']}`));
      expect(fhirSchemaErrors(appointment as { resourceType: string })).toEqual([]);
      expect(appointment).toMatchObject({
        resourceType: 'Appointment',
        id: ids['2027-03-03'],
        status: 'booked',
        start: '2027-03-03T09:00:00.000Z',
        end: '2027-03-03T09:30:00.000Z',
        reasonCode: [{ text: 'Follow-up' }],
        participant: [
          { actor: { reference: `Patient/${PATIENT}`, display: 'Ada Lovelace' }, status: 'accepted' },
          { actor: { reference: `Practitioner/${DOCTOR}` }, status: 'accepted' },
        ],
      });
      expect(appointment.meta?.lastUpdated).toEqual(expect.any(String));
    });

    it.each([
      ['2027-03-01', 'fulfilled'],
      ['2027-03-02', 'arrived'],
      ['2027-03-04', 'cancelled'],
      ['2027-03-05', 'noshow'],
    ])('maps the appointment of %s to status %s', async (day, status) => {
      const appointment = await fhirJson<Appointment>(await get(`Appointment/${ids[day]}`));
      expect(appointment.status).toBe(status);
      expect(fhirSchemaErrors(appointment as { resourceType: string })).toEqual([]);
    });

    it('leaves out an empty reason', async () => {
      const appointment = await fhirJson<Appointment>(await get(`Appointment/${ids['2027-03-05']}`));
      expect(appointment.reasonCode).toBeUndefined();
    });

    it.each([
      [`Appointment/${randomUUID()}/_history`, 404, 'not-found'],
      ['Appointment/%FF%FE', 400, 'invalid'],
      ['Encounter', 404, 'not-found'],
    ])('answers %s, which no route serves, with an OperationOutcome too (%i)', async (path, status, code) => {
      const outcome = await fhirJson<OperationOutcome>(await get(path), status);
      expect(outcome.issue).toEqual([expect.objectContaining({ severity: 'error', code })]);
    });

    it.each([randomUUID(), 'not-a-uuid'])('answers 404 with an OperationOutcome for Appointment/%s', async (id) => {
      const outcome = await fhirJson<OperationOutcome>(await get(`Appointment/${id}`), 404);
      expect(fhirSchemaErrors(outcome as { resourceType: string })).toEqual([]);
      expect(outcome.issue).toEqual([{ severity: 'error', code: 'not-found', diagnostics: `No appointment ${id}`, details: { text: 'APPOINTMENT_NOT_FOUND' } }]);
    });
  });

  describe('search', () => {
    it("answers the patient's appointments, earliest first, as a searchset Bundle with total that validates", async () => {
      const bundle = await search(`patient=Patient/${PATIENT}`);
      expect(fhirSchemaErrors(bundle as { resourceType: string })).toEqual([]);
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 5 });
      expect(startDays(bundle)).toEqual(['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05']);
      expect(bundle.entry![0]).toMatchObject({ fullUrl: `${t.baseUrl}/fhir/R4/Appointment/${ids['2027-03-01']}`, search: { mode: 'match' } });
      expect(bundle.link).toEqual([{ relation: 'self', url: `${t.baseUrl}/fhir/R4/Appointment?patient=Patient/${PATIENT}` }]);
    });

    it('takes the bare id as well', async () => {
      expect((await search(`patient=${PATIENT.toUpperCase()}`)).total).toBe(5);
    });

    it('pages with _count and a next link a client follows to the last page', async () => {
      const seen: string[] = [];
      let bundle = await search(`patient=${PATIENT}&_count=2`);
      const totals: number[] = [];
      for (let pages = 0; pages < 5; pages += 1) {
        seen.push(...startDays(bundle));
        totals.push(bundle.total!);
        const next = bundle.link?.find((link) => link.relation === 'next')?.url;
        if (!next) break;
        expect(next.startsWith(`${t.baseUrl}/fhir/R4/Appointment?`)).toBe(true);
        bundle = await fhirJson<Bundle<Appointment>>(await fetch(next, { headers: { authorization: t.doctor } }));
      }
      expect(seen).toEqual(['2027-03-01', '2027-03-02', '2027-03-03', '2027-03-04', '2027-03-05']);
      expect(totals).toEqual([5, 5, 5]);
    });

    it.each([
      ['date=2027-03-03', ['2027-03-03']],
      ['date=eq2027-03-05', ['2027-03-05']],
      ['date=ge2027-03-04', ['2027-03-04', '2027-03-05']],
      ['date=le2027-03-02', ['2027-03-01', '2027-03-02']],
      ['date=ge2027-03-02&date=le2027-03-03', ['2027-03-02', '2027-03-03']],
      ['date=2027-04-01', []],
    ])('narrows the start with %s', async (query, days) => {
      const bundle = await search(`patient=${PATIENT}&${query}`);
      expect(startDays(bundle)).toEqual(days);
      expect(bundle.total).toBe(days.length);
      expect(fhirSchemaErrors(bundle as { resourceType: string })).toEqual([]);
    });

    it('keeps the date in the links', async () => {
      const bundle = await search(`patient=${PATIENT}&date=ge2027-03-02&_count=1`);
      expect(bundle.link?.find((link) => link.relation === 'next')?.url).toBe(
        `${t.baseUrl}/fhir/R4/Appointment?patient=${PATIENT}&date=ge2027-03-02&_count=1&_offset=1`,
      );
    });

    it('builds links on the host and scheme the gateway forwards', async () => {
      const bundle = await fhirJson<Bundle<Appointment>>(
        await get(`Appointment?patient=${PATIENT}&date=2027-03-01`, t.doctor, { 'x-forwarded-host': 'ehr.example.org', 'x-forwarded-proto': 'https' }),
      );
      expect(bundle.entry![0].fullUrl).toBe(`https://ehr.example.org/fhir/R4/Appointment/${ids['2027-03-01']}`);
    });

    it.each([
      ['', 'patient'],
      ['patient=Practitioner/x', 'patient'],
      [`patient=${PATIENT}&patient=${PATIENT}`, 'patient'],
      [`patient=${PATIENT}&date=2027-02-30`, 'date'],
      [`patient=${PATIENT}&date=gt2027-02-01`, 'date'],
      [`patient=${PATIENT}&_count=0`, '_count'],
      [`patient=${PATIENT}&_count=101`, '_count'],
      [`patient=${PATIENT}&_count=ten`, '_count'],
      [`patient=${PATIENT}&status=booked`, 'status'],
    ])('refuses ?%s with a 400 OperationOutcome naming %s', async (query, field) => {
      const outcome = await fhirJson<OperationOutcome>(await get(`Appointment?${query}`), 400);
      expect(fhirSchemaErrors(outcome as { resourceType: string })).toEqual([]);
      expect(outcome.issue).toEqual([expect.objectContaining({ severity: 'error', code: 'invalid', expression: [field], details: { text: 'APPOINTMENT_FHIR_SEARCH_INVALID' } })]);
    });
  });

  describe('roles, as the REST appointments area for reading', () => {
    const routes = [
      { route: 'GET /fhir/R4/Appointment', path: () => `Appointment?patient=${PATIENT}`, answers: 'Bundle', allowed: ['ADMIN', 'DOCTOR', 'NURSE'], success: 200 },
      { route: 'GET /fhir/R4/Appointment/{id}', path: () => `Appointment/${ids['2027-03-01']}`, answers: 'Appointment', allowed: ['ADMIN', 'DOCTOR', 'NURSE'], success: 200 },
    ];

    it.each(accessMatrix(routes))('%s as %s → %i, refusals as OperationOutcome', async (_route, caller, status, route) => {
      const response = await get(route.path(), caller === 'no token' ? null : await t.issuer.bearer(caller));
      const body = await fhirJson<Appointment | OperationOutcome>(response, status);
      expect(body.resourceType).toBe(status === 200 ? route.answers : 'OperationOutcome');
      if (status === 401) expect(response.headers.get('www-authenticate')).toContain('Bearer');
      if (status >= 400) expect((body as OperationOutcome).issue[0].code).toBe(status === 401 ? 'login' : 'forbidden');
    });
  });
});
