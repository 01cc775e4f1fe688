import { buildOpenApiDocument } from '@pm/platform';
import { PatientEvent, Topics, encodePatientEvent } from '@pm/contracts';
import { waitFor, itHonoursTokenRevocation, itAnswersEveryCaller } from '@pm/testing';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KAFKA_BROKERS, useAppointmentApp } from '../testing/appointment-test-app';
import { PatientsDirectoryService } from '../patients-directory/patients-directory.service';

// Joining a fresh consumer group and reading the shared topic from the beginning takes seconds.
jest.setTimeout(60_000);
const CONSUMED_WITHIN = { timeoutMs: 40_000, intervalMs: 200 };

interface AppointmentBody {
  id: string;
  patientId: string;
  patientName: string | null;
  doctorId: string;
  startTime: string;
  endTime: string;
  reason: string;
  status: string;
}

describe('appointments over HTTP, patient names from Kafka (real PostgreSQL, Kafka, Redis and JWKS)', () => {
  const t = useAppointmentApp('appointment_int_test');
  let producer: Producer;
  let directory: PatientsDirectoryService;

  beforeAll(async () => {
    directory = t.app.get(PatientsDirectoryService);
    const kafka = new Kafka({ clientId: 'appointment-int-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  /** A request as the doctor unless the init names another authorization (or none: null). */
  const call = (path: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string>; authorization?: string | null } = {}) => {
    const { authorization = t.doctor, headers = {}, ...rest } = init;
    return fetch(`${t.baseUrl}${path}`, { ...rest, headers: { ...headers, ...(authorization ? { authorization } : {}) } });
  };

  const publish = (event: Pick<PatientEvent, 'patientId'> & Partial<PatientEvent>) =>
    producer.send({
      topic: Topics.patient,
      messages: [
        {
          key: event.patientId,
          value: encodePatientEvent({
            name: '',
            email: '',
            event_type: 'PATIENT_CREATED',
            event_id: randomUUID(),
            occurred_at: Date.now(),
            ...event,
          }),
        },
      ],
    });

  const create = (body: object, headers: Record<string, string> = {}) =>
    call(`/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const createOk = async (body: object): Promise<AppointmentBody> => {
    const response = await create(body);
    expect(response.status).toBe(201);
    return (await response.json()) as AppointmentBody;
  };

  const list = async (query: Record<string, string>): Promise<AppointmentBody[]> => {
    const response = await call(`/appointments?${new URLSearchParams(query)}`);
    expect(response.status).toBe(200);
    return (await response.json()) as AppointmentBody[];
  };

  const errorsOf = async (response: Response) => ((await response.json()) as { errors?: Record<string, string> }).errors;

  /** A patient the directory knows (applied directly: the Kafka path has tests of its own below). */
  const knownPatient = async (name = 'Known Patient'): Promise<string> => {
    const patientId = randomUUID();
    await directory.apply({ patientId, name, email: '', event_type: 'PATIENT_CREATED', event_id: randomUUID(), occurred_at: Date.now() });
    return patientId;
  };

  /** Waits until the patient event published to Kafka has reached the directory. */
  const untilKnown = (patientId: string) =>
    waitFor(async () => (await directory.find(patientId)) ?? undefined, { ...CONSUMED_WITHIN, description: `patient ${patientId} in the directory` });

  /** Waits until the appointments of a patient in the range show `name`. */
  const nameShown = (patientId: string, range: { from: string; to: string }, name: string | null) =>
    waitFor(
      async () => {
        const found = await list({ ...range, patientId });
        return found.length > 0 && found.every((a) => a.patientName === name) && found;
      },
      { ...CONSUMED_WITHIN, description: `patientName ${name} on ${patientId}` },
    );

  it('creates an appointment (201, Location behind the gateway) and lists it with the name from PATIENT_CREATED', async () => {
    const patientId = randomUUID();
    const name = `Created ${randomUUID().slice(0, 8)}`;
    await publish({ patientId, name, email: `${patientId}@example.com` });
    await untilKnown(patientId);
    const doctorId = randomUUID();

    const body = {
      patientId,
      doctorId,
      startTime: '2031-01-06T09:00:00+01:00',
      endTime: '2031-01-06T09:30:00+01:00',
      reason: 'Annual check-up',
    };
    const response = await create(body, { 'x-forwarded-prefix': '/api' });
    expect(response.status).toBe(201);
    const created = (await response.json()) as AppointmentBody;
    expect(response.headers.get('location')).toBe(`/api/appointments/${created.id}`);
    expect(created).toMatchObject({
      patientId,
      doctorId,
      startTime: '2031-01-06T08:00:00.000Z',
      endTime: '2031-01-06T08:30:00.000Z',
      reason: 'Annual check-up',
      status: 'SCHEDULED',
    });

    const range = { from: '2031-01-06T00:00:00Z', to: '2031-01-07T00:00:00Z' };
    const [listed] = await nameShown(patientId, range, name);
    expect(listed).toEqual({ ...created, patientName: name });

    const single = await call(`/appointments/${created.id}`);
    expect(single.status).toBe(200);
    expect(await single.json()).toEqual({ ...created, patientName: name });
  });

  it("keeps only the patient fields it uses: the directory stores a patient's name and deleted state, never the email", async () => {
    const patientId = randomUUID();
    const email = `${patientId}@example.com`;
    await publish({ patientId, name: 'Directory Fields', email });
    await untilKnown(patientId);
    const db = t.app.get(DataSource);
    const columns = await db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'patients_directory' ORDER BY column_name");
    expect(columns.map((c: { column_name: string }) => c.column_name)).toEqual(['deleted', 'last_event_at', 'name', 'patient_id']);
    const [row] = await db.query('SELECT row_to_json(d)::text AS stored FROM patients_directory d WHERE patient_id = $1', [patientId]);
    expect(row.stored).toContain('Directory Fields');
    expect(row.stored).not.toContain(email);
  });

  it('refuses an unknown patient (400 naming patientId) and books the same one once its event arrives', async () => {
    const patientId = randomUUID();
    const body = { patientId, doctorId: randomUUID(), startTime: '2031-01-07T10:00:00Z', endTime: '2031-01-07T10:15:00Z', reason: 'Follow-up' };
    const unknown = await create(body);
    expect(unknown.status).toBe(400);
    expect(await errorsOf(unknown)).toEqual({ patientId: 'patientId is not a known patient' });

    const name = `Late ${randomUUID().slice(0, 8)}`;
    await publish({ patientId, name, email: 'late@example.com' });
    await untilKnown(patientId);
    expect((await createOk(body)).patientName).toBe(name);
  });

  it('shows a later PATIENT_UPDATED name, ignores an older one, keeps the name after PATIENT_DELETED and cancels', async () => {
    const patientId = randomUUID();
    const range = { from: '2031-01-08T00:00:00Z', to: '2031-01-09T00:00:00Z' };
    const t0 = Date.now();
    await publish({ patientId, name: 'First Name', occurred_at: t0 });
    await untilKnown(patientId);
    await createOk({ patientId, doctorId: randomUUID(), startTime: '2031-01-08T10:00:00Z', endTime: '2031-01-08T11:00:00Z', reason: 'Consultation' });
    await nameShown(patientId, range, 'First Name');

    await publish({ patientId, name: 'Second Name', event_type: 'PATIENT_UPDATED', occurred_at: t0 + 2000 });
    await nameShown(patientId, range, 'Second Name');

    // Same key, so one partition: the delete is applied after the stale update.
    await publish({ patientId, name: 'Stale Name', event_type: 'PATIENT_UPDATED', occurred_at: t0 + 1000 });
    await publish({ patientId, event_type: 'PATIENT_DELETED', occurred_at: t0 + 3000 });
    await waitFor(async () => (await directory.find(patientId))?.deleted, { ...CONSUMED_WITHIN, description: 'the delete' });

    // The delete also cancelled the patient's future appointment.
    const [shown] = await list({ ...range, patientId });
    expect(shown).toMatchObject({ patientName: 'Second Name', status: 'CANCELLED' });
  });

  it('lists appointments starting in [from, to), ordered by start, whatever the offsets, with filters', async () => {
    const patientId = await knownPatient();
    const otherPatientId = await knownPatient();
    const doctorId = randomUUID();
    const otherDoctorId = randomUUID();
    const at = (hour: number) => `2031-01-10T${String(hour).padStart(2, '0')}:00:00Z`;
    const noon = await createOk({ patientId, doctorId: otherDoctorId, startTime: at(12), endTime: at(13), reason: 'c' });
    const ten = await createOk({ patientId, startTime: at(10), endTime: at(11), reason: 'a', doctorId });
    const eleven = await createOk({ patientId: otherPatientId, doctorId: otherDoctorId, startTime: at(11), endTime: at(12), reason: 'b' });
    // Started before the range but ends inside it: not listed.
    await createOk({ patientId: otherPatientId, doctorId: randomUUID(), startTime: at(9), endTime: '2031-01-10T10:30:00Z', reason: 'early' });

    const ids = (appointments: AppointmentBody[]) => appointments.map((a) => a.id);
    expect(ids(await list({ from: at(10), to: at(12) }))).toEqual([ten.id, eleven.id]);
    expect(ids(await list({ from: at(10), to: '2031-01-10T12:00:00.001Z' }))).toEqual([ten.id, eleven.id, noon.id]);
    expect(ids(await list({ from: '2031-01-10T12:00:00+01:00', to: '2031-01-10T14:00:00+02:00' }))).toEqual([eleven.id]);
    expect(ids(await list({ from: at(10), to: at(13), patientId }))).toEqual([ten.id, noon.id]);
    expect(ids(await list({ from: at(10), to: at(13), doctorId: doctorId.toUpperCase() }))).toEqual([ten.id]);
    expect(ids(await list({ from: at(10), to: at(13), doctorId: otherDoctorId, patientId }))).toEqual([noon.id]);
    expect(ids(await list({ from: at(10), to: at(13), status: 'SCHEDULED' }))).toEqual([ten.id, eleven.id, noon.id]);
    expect(await list({ from: at(10), to: at(13), status: 'CANCELLED' })).toEqual([]);
    expect(await list({ from: '2031-01-11T00:00:00Z', to: '2031-01-12T00:00:00Z' })).toEqual([]);
  });

  it('answers 400 problems naming each bad field, and stores nothing', async () => {
    const bad = await create({ patientId: 'nope', startTime: '2031-01-12', endTime: '2031-01-12T10:00:00Z', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await errorsOf(bad)).toEqual({
      patientId: 'patientId must be a UUID',
      doctorId: 'doctorId is required',
      startTime: 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z',
      reason: 'reason is required',
    });

    const backwards = await create({
      patientId: randomUUID(),
      doctorId: randomUUID(),
      startTime: '2031-01-12T10:00:00Z',
      endTime: '2031-01-12T09:00:00Z',
      reason: 'x',
    });
    expect(backwards.status).toBe(400);
    expect(await errorsOf(backwards)).toEqual({ endTime: 'endTime must be after startTime' });

    const tooLong = await create({
      patientId: randomUUID(),
      doctorId: randomUUID(),
      startTime: '2031-01-12T10:00:00Z',
      endTime: '2031-01-12T11:00:00Z',
      reason: 'x'.repeat(501),
    });
    expect(await errorsOf(tooLong)).toEqual({ reason: 'reason must be at most 500 characters' });
    expect(await list({ from: '2031-01-12T00:00:00Z', to: '2031-01-13T00:00:00Z' })).toEqual([]);

    const noRange = await call(`/appointments`);
    expect(noRange.status).toBe(400);
    expect(await errorsOf(noRange)).toEqual({ from: 'from is required', to: 'to is required' });

    const reversed = await call(`/appointments?from=2031-01-12T00:00:00Z&to=2031-01-11T00:00:00Z`);
    expect(reversed.status).toBe(400);
    expect(await errorsOf(reversed)).toEqual({ to: 'to must be after from' });

    const badId = await call(`/appointments/not-a-uuid`);
    expect(badId.status).toBe(400);
    expect(await errorsOf(badId)).toEqual({ id: 'id must be a UUID' });

    const badJson = await call(`/appointments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(badJson.status).toBe(400);
  });

  it('answers NUL in the reason of a booking or a reschedule with 400 naming reason, and stores nothing', async () => {
    const unsafe = { reason: 'must not contain NUL or unpaired surrogate characters' };
    const patientId = await knownPatient();
    const slot = { patientId, doctorId: randomUUID(), startTime: '2031-01-13T10:00:00Z', endTime: '2031-01-13T10:30:00Z' };
    const refused = await create({ ...slot, reason: 'Pain\u0000' });
    expect(refused.status).toBe(400);
    expect(await errorsOf(refused)).toEqual(unsafe);
    expect(await list({ from: '2031-01-13T00:00:00Z', to: '2031-01-14T00:00:00Z' })).toEqual([]);

    const booked = await createOk({ ...slot, reason: 'Pain \u{1F9B7} \u200f' });
    const rescheduled = await call(`/appointments/${booked.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '\u0000' }),
    });
    expect(rescheduled.status).toBe(400);
    expect(await errorsOf(rescheduled)).toEqual(unsafe);
    expect(((await (await call(`/appointments/${booked.id}`)).json()) as AppointmentBody).reason).toBe('Pain \u{1F9B7} \u200f');
  });

  it('answers 404 for an unknown appointment', async () => {
    const missing = await call(`/appointments/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('names each refusal by its code: APPOINTMENT_NOT_FOUND, whether found missing by the controller or the service', async () => {
    const id = randomUUID();
    const expected = { type: 'about:blank', title: 'Not Found', status: 404, detail: `No appointment ${id}`, code: 'APPOINTMENT_NOT_FOUND' };
    expect(await (await call(`/appointments/${id}`)).json()).toEqual(expected);
    expect(await (await call(`/appointments/${id}/check-in`, { method: 'POST' })).json()).toEqual(expected);
  });

  it('reports ready with the database, Kafka and Redis up', async () => {
    const ready = await fetch(`${t.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ info: { database: { status: 'up' }, kafka: { status: 'up' }, redis: { status: 'up' } } });
  });

  describe('who may do what, straight at the service', () => {
    const range = { from: '2031-02-01T00:00:00Z', to: '2031-02-02T00:00:00Z' };
    const readWrite = ['ADMIN', 'DOCTOR', 'NURSE'];
    const close = ['ADMIN', 'DOCTOR'];
    let existingId: string;

    /** A fresh booking (own patient and doctor, so never an overlap) for this test's range. */
    const matrixBooking = async () => ({
      patientId: await knownPatient(),
      doctorId: randomUUID(),
      startTime: '2031-02-01T09:00:00Z',
      endTime: '2031-02-01T09:30:00Z',
      reason: 'Matrix',
    });
    /** A new appointment, checked in first when the move under test needs that. */
    const freshAppointment = async (checkedIn = false) => {
      const { id } = await createOk(await matrixBooking());
      if (checkedIn) expect((await call(`/appointments/${id}/check-in`, { method: 'POST' })).status).toBe(200);
      return id;
    };
    const move = (action: string, checkedIn = false) => async (authorization: string | null) =>
      call(`/appointments/${await freshAppointment(checkedIn)}/${action}`, { method: 'POST', authorization });

    beforeAll(async () => {
      existingId = (await createOk(await matrixBooking())).id;
    });

    const routes = [
      {
        route: 'POST /appointments',
        allowed: readWrite,
        success: 201,
        send: async (authorization: string | null) =>
          call('/appointments', {
            method: 'POST',
            authorization,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(await matrixBooking()),
          }),
      },
      {
        route: 'PATCH /appointments/:id',
        allowed: readWrite,
        success: 200,
        send: async (authorization: string | null) =>
          call(`/appointments/${await freshAppointment()}`, {
            method: 'PATCH',
            authorization,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ reason: 'Moved' }),
          }),
      },
      { route: 'POST /appointments/:id/check-in', allowed: readWrite, success: 200, send: move('check-in') },
      { route: 'POST /appointments/:id/complete', allowed: close, success: 200, send: move('complete', true) },
      { route: 'POST /appointments/:id/cancel', allowed: close, success: 200, send: move('cancel') },
      { route: 'POST /appointments/:id/no-show', allowed: close, success: 200, send: move('no-show') },
      { route: 'GET /appointments', allowed: readWrite, success: 200, send: (authorization: string | null) => call(`/appointments?${new URLSearchParams(range)}`, { authorization }) },
      { route: 'GET /appointments/:id', allowed: readWrite, success: 200, send: (authorization: string | null) => call(`/appointments/${existingId}`, { authorization }) },
    ];

    itAnswersEveryCaller(routes, () => t.issuer, (route, authorization) => route.send(authorization));

    it('refuses a forbidden role before looking at the body (403, not 400), and stores nothing', async () => {
      const before = await list(range);
      const response = await call('/appointments', { method: 'POST', authorization: await t.issuer.bearer('BILLING'), headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(403);
      expect(await list(range)).toEqual(before);
    });

    itHonoursTokenRevocation(() => ({
      issuer: t.issuer,
      role: 'NURSE',
      call: (authorization, url = t.baseUrl) => fetch(`${url}/appointments/${existingId}`, { headers: { authorization } }),
      boot: (settings) => t.boot(settings),
    }));

    it('documents the roles of every route in OpenAPI', () => {
      const paths = buildOpenApiDocument(t.app, { title: 'Appointments', description: '' }).paths;
      const readWriteOperations = [
        paths['/appointments'].post!,
        paths['/appointments'].get!,
        paths['/appointments/{id}'].get!,
        paths['/appointments/{id}'].patch!,
        paths['/appointments/{id}/check-in'].post!,
      ];
      const closeOperations = ['complete', 'cancel', 'no-show'].map((action) => paths[`/appointments/{id}/${action}`].post!);
      for (const [operations, roles] of [
        [readWriteOperations, /Roles: ADMIN, DOCTOR, NURSE\.$/],
        [closeOperations, /Roles: ADMIN, DOCTOR\.$/],
      ] as const) {
        for (const operation of operations) {
          expect(operation.description).toMatch(roles);
          expect(operation.security).toEqual([{ bearer: [] }]);
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
        }
      }
      for (const operation of [paths['/appointments'].post!, paths['/appointments/{id}'].patch!, ...closeOperations]) {
        expect(Object.keys(operation.responses)).toContain('409');
      }
    });
  });
});
