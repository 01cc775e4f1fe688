import { buildOpenApiDocument } from '@pm/platform';
import { Topics, decodeBillingAccountEvent, decodePatientEvent } from '@pm/contracts';
import { AccessTokenGuard } from '@pm/auth-tokens';
import { KafkaTopicProbe, ProbedMessage, itHonoursTokenRevocation, itAnswersEveryCaller } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { BillingClient } from '../billing/billing.client';
import { usePatientApp } from '../testing/patient-test-context';
import { type PatientBody, patientFactory } from '../testing/patient-factory';

jest.setTimeout(60_000);

const BILLING_DEADLINE_MS = 1000;

interface ProblemBody {
  status: number;
  detail?: string;
  errors?: Record<string, string>;
}

interface PageBody {
  patients: PatientBody[];
  page: number;
  size: number;
  totalPages: number;
  totalElements: number;
}

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
const errorsOf = async (response: Response) => (await json<ProblemBody>(response)).errors;

/** Names and emails unique to this run, since the topic and its keys are shared. */
const newPatient = patientFactory('Patient', '2024-01-10');
const run = newPatient.run;

describe('patients over HTTP (real PostgreSQL, Kafka, Redis, JWKS and a real gRPC billing peer)', () => {
  const t = usePatientApp('patient_int_test', {
    BILLING_GRPC_DEADLINE_MS: String(BILLING_DEADLINE_MS),
    // An unconfirmed billing request goes on billing-account this soon (the default is 10 s).
    BILLING_ACCOUNT_QUEUE_AFTER_MS: '2000',
  });
  let probe: KafkaTopicProbe;

  beforeAll(async () => {
    probe = await new KafkaTopicProbe(['patient']).start();
  });

  afterAll(async () => {
    await probe?.stop();
  });

  /** A request as the ADMIN unless `headers` name another authorization (or '' for none). */
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { authorization = t.admin, ...rest } = headers;
    return fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...rest, ...(authorization ? { authorization } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  };

  async function create(overrides: Record<string, unknown> = {}) {
    const response = await send('POST', '/patients', newPatient(overrides));
    expect(response.status).toBe(201);
    return json<PatientBody>(response);
  }

  const eventOf = (message: ProbedMessage) => decodePatientEvent(message.value!);
  const waitForEvent = (patientId: string, eventType: string) =>
    probe.waitFor((m) => m.key === patientId && eventOf(m).event_type === eventType);

  describe('POST /patients', () => {
    it('creates the patient: 201 with Location, the row, a billing account over gRPC and PATIENT_CREATED', async () => {
      const body = newPatient();
      const response = await send('POST', '/patients', body, { 'x-forwarded-prefix': '/api', 'x-request-id': `req-${run}` });

      expect(response.status).toBe(201);
      const patient = await json<PatientBody>(response);
      expect(patient).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...body });
      expect(response.headers.get('location')).toBe(`/api/patients/${patient.id}`);

      const [row] = await t.dataSource.query(
        `SELECT name, email, address, date_of_birth AS dob, to_char(registered_date, 'YYYY-MM-DD') AS reg, version
         FROM patients WHERE id = $1`,
        [patient.id],
      );
      // Address and birth date are encrypted at rest (crypto/), the rest is searchable plaintext.
      expect(row).toEqual({ name: body.name, email: body.email, address: expect.stringMatching(/^v1:/), dob: expect.stringMatching(/^v1:/), reg: '2024-01-10', version: 1 });
      expect(`${row.address} ${row.dob}`).not.toMatch(new RegExp(`${body.address}|${body.dateOfBirth}`));

      expect(t.billing.callsFor(patient.id)).toEqual([
        { request: { patientId: patient.id, name: body.name, email: body.email }, requestId: `req-${run}` },
      ]);

      const message = await waitForEvent(patient.id, 'PATIENT_CREATED');
      expect(message.topic).toBe('patient');
      expect(message.headers['x-request-id']).toBe(`req-${run}`);
      expect(eventOf(message)).toMatchObject({ patientId: patient.id, name: body.name, email: body.email });
      expect(eventOf(message).event_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('gives a bare Location without the gateway prefix', async () => {
      const response = await send('POST', '/patients', newPatient());
      const { id } = await json<PatientBody>(response);
      expect(response.headers.get('location')).toBe(`/patients/${id}`);
    });

    it('answers 400 naming every invalid field with the compat messages', async () => {
      const response = await send('POST', '/patients', {
        name: 'x'.repeat(101),
        email: 'not-an-email',
        address: '',
        dateOfBirth: '2999-01-01',
        registeredDate: '2023-02-30',
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((await errorsOf(response))).toEqual({
        name: 'Name cannot exceed 100 characters',
        email: 'Email should be valid',
        address: 'Address is required',
        dateOfBirth: 'Date of birth cannot be in the future',
        registeredDate: 'Registered date must be a valid date (YYYY-MM-DD)',
      });
    });

    it('answers 400 with every required message for an empty body and saves nothing', async () => {
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM patients');
      const response = await send('POST', '/patients', {});

      expect(response.status).toBe(400);
      expect((await errorsOf(response))).toEqual({
        name: 'Name is required',
        email: 'Email is required',
        address: 'Address is required',
        dateOfBirth: 'Date of birth is required',
        registeredDate: 'Registered date is required',
      });
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM patients')).toEqual(before);
    });

    it('answers 400, not 500, for a malformed date and a body that is not JSON', async () => {
      const badDate = await send('POST', '/patients', newPatient({ dateOfBirth: '15-06-1985' }));
      expect(badDate.status).toBe(400);
      expect((await errorsOf(badDate))).toEqual({ dateOfBirth: 'Date of birth must be a valid date (YYYY-MM-DD)' });

      const notJson = await fetch(`${t.baseUrl}/patients`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: t.admin }, body: '{' });
      expect(notJson.status).toBe(400);
    });

    it.each([
      ['a JSON array', 'application/json', '[]'],
      ['JSON null', 'application/json', 'null'],
      ['a JSON string', 'application/json', '"x"'],
      ['plain text', 'text/plain', 'name=x'],
    ])('answers 4xx, not 500, for %s', async (_, contentType, body) => {
      const response = await fetch(`${t.baseUrl}/patients`, { method: 'POST', headers: { 'content-type': contentType, authorization: t.admin }, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });

    it('answers 409 for a taken email, whatever its case, and opens no second account', async () => {
      const first = await create();
      const callsBefore = t.billing.calls.length;

      for (const email of [first.email, first.email.toUpperCase()]) {
        const response = await send('POST', '/patients', newPatient({ email }));
        expect(response.status).toBe(409);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(await response.json()).toMatchObject({
          status: 409,
          detail: 'A patient with this email already exists',
          errors: { email: expect.any(String) },
        });
      }
      expect(t.billing.calls.length).toBe(callsBefore);
    });

    it('keeps the patient data of a refused duplicate out of the console', async () => {
      const first = await create();
      const console = jest.spyOn(global.console, 'log');
      const stdout = jest.spyOn(process.stdout, 'write');
      try {
        expect((await send('POST', '/patients', newPatient({ email: first.email }))).status).toBe(409);
        const printed = JSON.stringify([...console.mock.calls, ...stdout.mock.calls]);
        expect(printed).not.toContain(first.email);
      } finally {
        console.mockRestore();
        stdout.mockRestore();
      }
    });

    it('lets exactly one of two concurrent creates with the same email win', async () => {
      const email = `race.${run}@example.com`;
      const responses = await Promise.all([
        send('POST', '/patients', newPatient({ email })),
        send('POST', '/patients', newPatient({ email: email.toUpperCase() })),
      ]);

      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM patients WHERE lower(email) = $1', [email]);
      expect(n).toBe(1);
    });
  });

  describe('GET /patients', () => {
    const token = `Srch${run}`;
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo'].map((n) => `${token} ${n}`);
    const births = ['1990-01-01', '1970-01-01', '2000-01-01', '1980-01-01', '1960-01-01'];

    beforeAll(async () => {
      for (const [i, name] of names.entries()) {
        await create({ name, email: `${name.split(' ')[1].toLowerCase()}.${run}@example.com`, dateOfBirth: births[i] });
      }
    });

    const list = async (query: string) => {
      const response = await send('GET', `/patients?${query}`);
      expect(response.status).toBe(200);
      return json<PageBody>(response);
    };

    it('pages from 1 and sorts by name, ignoring case', async () => {
      const first = await list(`searchValue=${token}&size=2`);
      expect(first).toMatchObject({ page: 1, size: 2, totalPages: 3, totalElements: 5 });
      expect(first.patients.map((p) => p.name)).toEqual([`${token} Alpha`, `${token} Bravo`]);

      const last = await list(`searchValue=${token}&size=2&page=3`);
      expect(last.patients.map((p) => p.name)).toEqual([`${token} echo`]);

      const beyond = await list(`searchValue=${token}&size=2&page=4`);
      expect(beyond).toMatchObject({ patients: [], page: 4, totalPages: 3, totalElements: 5 });
    });

    it('sorts descending and by another field', async () => {
      const desc = await list(`searchValue=${token}&sort=desc`);
      expect(desc.patients.map((p) => p.name.split(' ')[1])).toEqual(['echo', 'delta', 'charlie', 'Bravo', 'Alpha']);

      const byEmail = await list(`searchValue=${token}&sortField=email&sort=desc`);
      expect(byEmail.patients.map((p) => p.dateOfBirth)).toEqual(['1960-01-01', '1990-01-01', '2000-01-01', '1980-01-01', '1970-01-01']);
    });

    it('refuses to sort by an encrypted field', async () => {
      const response = await send('GET', `/patients?searchValue=${token}&sortField=dateOfBirth`);
      expect(response.status).toBe(400);
      expect(await errorsOf(response)).toEqual({ sortField: expect.stringContaining('cannot sort by an encrypted field') });
    });

    it('searches name or email case-insensitively, wildcards literally', async () => {
      expect((await list(`searchValue=${token.toLowerCase()}%20ALPHA`)).patients.map((p) => p.name)).toEqual([`${token} Alpha`]);
      expect((await list(`searchValue=CHARLIE.${run}@EXAMPLE`)).patients.map((p) => p.name)).toEqual([`${token} charlie`]);
      // A lone wildcard would match everyone; literally, no name or email holds it.
      expect((await list(`searchValue=${encodeURIComponent('%')}`)).totalElements).toBe(0);
      expect((await list(`searchValue=${encodeURIComponent('_')}`)).totalElements).toBe(0);
    });

    it('answers 400 naming each bad paging parameter', async () => {
      const response = await send('GET', '/patients?page=0&size=1000&sort=sideways&sortField=ssn');
      expect(response.status).toBe(400);
      expect(Object.keys((await errorsOf(response)) ?? {}).sort()).toEqual(['page', 'size', 'sort', 'sortField']);
    });
  });

  describe('GET, PUT and DELETE /patients/:id', () => {
    it('reads a patient with its ETag, updates it and deletes it, publishing each change', async () => {
      const created = await create();

      const read = await send('GET', `/patients/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('W/"1"');
      expect(await read.json()).toEqual(created);

      const changes = newPatient({ name: `Renamed ${run}`, registeredDate: undefined });
      const updated = await send('PUT', `/patients/${created.id}`, changes);
      expect(updated.status).toBe(200);
      expect(updated.headers.get('etag')).toBe('W/"2"');
      expect(await updated.json()).toEqual({ ...changes, id: created.id, registeredDate: '2024-01-10' });
      expect(await (await send('GET', `/patients/${created.id}`)).json()).toMatchObject({ name: `Renamed ${run}`, email: changes.email });
      const updateEvent = eventOf(await waitForEvent(created.id, 'PATIENT_UPDATED'));
      expect(updateEvent).toMatchObject({ name: `Renamed ${run}`, email: changes.email });

      const deleted = await send('DELETE', `/patients/${created.id}`);
      expect(deleted.status).toBe(204);
      expect((await send('GET', `/patients/${created.id}`)).status).toBe(404);
      const deleteEvent = eventOf(await waitForEvent(created.id, 'PATIENT_DELETED'));
      expect(deleteEvent).toMatchObject({ name: `Renamed ${run}`, email: changes.email });
    });

    it('answers 404 problems for an unknown patient', async () => {
      const unknown = randomUUID();
      for (const response of [
        await send('GET', `/patients/${unknown}`),
        await send('PUT', `/patients/${unknown}`, newPatient()),
        await send('DELETE', `/patients/${unknown}`),
      ]) {
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it('names each refusal by its code: PATIENT_NOT_FOUND, PATIENT_EMAIL_TAKEN, PATIENT_VERSION_MISMATCH', async () => {
      const unknown = randomUUID();
      expect(await json(await send('GET', `/patients/${unknown}`))).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: `No patient with id ${unknown}`,
        code: 'PATIENT_NOT_FOUND',
      });
      const first = await create();
      const second = await create();
      expect(await json(await send('PUT', `/patients/${second.id}`, newPatient({ email: first.email })))).toMatchObject({ status: 409, code: 'PATIENT_EMAIL_TAKEN' });
      const stale = await send('PUT', `/patients/${second.id}`, newPatient(), { 'if-match': 'W/"999"' });
      expect({ status: stale.status, body: await json(stale) }).toMatchObject({ status: 412, body: { code: 'PATIENT_VERSION_MISMATCH' } });
    });

    it('answers 400 for an id that is not a UUID', async () => {
      const response = await send('GET', '/patients/not-a-uuid');
      expect(response.status).toBe(400);
      expect((await errorsOf(response))).toEqual({ id: 'Patient id must be a UUID' });
    });

    it("answers 409 when an update takes another patient's email, and keeps the patient's own email in any case", async () => {
      const first = await create();
      const second = await create();

      const clash = await send('PUT', `/patients/${second.id}`, newPatient({ email: first.email.toUpperCase() }));
      expect(clash.status).toBe(409);
      expect((await errorsOf(clash))).toHaveProperty('email');

      const sameEmail = await send('PUT', `/patients/${first.id}`, newPatient({ email: first.email.toUpperCase() }));
      expect(sameEmail.status).toBe(200);
    });

    it('answers 400 naming the invalid fields of an update', async () => {
      const created = await create();
      const response = await send('PUT', `/patients/${created.id}`, { name: '', email: 'x', address: 'a', dateOfBirth: '2001-02-29' });
      expect(response.status).toBe(400);
      expect((await errorsOf(response))).toEqual({
        name: 'Name is required',
        email: 'Email should be valid',
        dateOfBirth: 'Date of birth must be a valid date (YYYY-MM-DD)',
      });
    });
  });

  describe('who may do what, straight at the service', () => {
    const readers = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING'];
    const writers = ['ADMIN', 'DOCTOR', 'NURSE'];
    let existing: PatientBody;

    beforeAll(async () => {
      existing = await create();
    });

    const as = (authorization: string | null) => ({ authorization: authorization ?? '' });
    const routes = [
      { route: 'GET /patients', allowed: readers, success: 200, send: (auth: string | null) => send('GET', '/patients', undefined, as(auth)) },
      { route: 'GET /patients/:id', allowed: readers, success: 200, send: (auth: string | null) => send('GET', `/patients/${existing.id}`, undefined, as(auth)) },
      { route: 'POST /patients', allowed: writers, success: 201, send: (auth: string | null) => send('POST', '/patients', newPatient(), as(auth)) },
      {
        route: 'PUT /patients/:id',
        allowed: writers,
        success: 200,
        send: (auth: string | null) => send('PUT', `/patients/${existing.id}`, { ...newPatient(), email: existing.email }, as(auth)),
      },
      {
        route: 'DELETE /patients/:id',
        allowed: ['ADMIN'],
        success: 204,
        send: async (auth: string | null) => send('DELETE', `/patients/${(await create()).id}`, undefined, as(auth)),
      },
      {
        route: 'POST /patients/:id/restore',
        allowed: ['ADMIN'],
        success: 200,
        send: async (auth: string | null) => {
          const { id } = await create();
          expect((await send('DELETE', `/patients/${id}`)).status).toBe(204);
          return send('POST', `/patients/${id}/restore`, undefined, as(auth));
        },
      },
    ];

    itAnswersEveryCaller(routes, () => t.issuer, (route, authorization) => route.send(authorization));

    it('shows BILLING only id, name, email and address, in the list and one by one', async () => {
      const billingRole = { authorization: await t.issuer.bearer('BILLING') };
      const one = await send('GET', `/patients/${existing.id}`, undefined, billingRole);
      expect(one.status).toBe(200);
      expect(await one.json()).toStrictEqual({ id: existing.id, name: expect.any(String), email: existing.email, address: expect.any(String) });

      const page = await json<PageBody>(await send('GET', `/patients?searchValue=${encodeURIComponent(existing.email)}`, undefined, billingRole));
      expect(page.totalElements).toBe(1);
      expect(page.patients.map((p) => Object.keys(p).sort())).toEqual([['address', 'email', 'id', 'name']]);

      const asDoctor = await json<PatientBody>(await send('GET', `/patients/${existing.id}`, undefined, { authorization: await t.issuer.bearer('DOCTOR') }));
      expect(Object.keys(asDoctor).sort()).toEqual(['address', 'dateOfBirth', 'email', 'id', 'name', 'registeredDate']);
    });

    it('does not let BILLING sort by a field it cannot see, and offers it only the fields it may sort by', async () => {
      const billingRole = { authorization: await t.issuer.bearer('BILLING') };
      for (const sortField of ['dateOfBirth', 'registeredDate', 'address']) {
        const response = await send('GET', `/patients?sortField=${sortField}`, undefined, billingRole);
        expect(response.status).toBe(400);
        const errors = (await errorsOf(response)) ?? {};
        expect(Object.keys(errors)).toEqual(['sortField']);
        expect(errors.sortField).toMatch(/must be one of name, email\b/);
        expect(errors.sortField).not.toMatch(/address|registeredDate|dateOfBirth/);
      }
      for (const offered of ['name', 'email']) expect((await send('GET', `/patients?sortField=${offered}`, undefined, billingRole)).status).toBe(200);
    });

    it('changes nothing on a refused request, and tells the denial listeners (for auditing)', async () => {
      const denials: { status: number; role?: string; path: string }[] = [];
      t.app.get(AccessTokenGuard).onDenied((denial) => {
        denials.push({ status: denial.status, role: denial.claims?.role, path: denial.request.path });
      });
      const target = await create();

      expect((await send('DELETE', `/patients/${target.id}`, undefined, { authorization: await t.issuer.bearer('NURSE') })).status).toBe(403);
      expect((await send('PUT', `/patients/${target.id}`, { ...newPatient(), email: target.email }, { authorization: await t.issuer.bearer('BILLING') })).status).toBe(403);
      expect((await send('DELETE', `/patients/${target.id}`, undefined, { authorization: '' })).status).toBe(401);

      expect(await (await send('GET', `/patients/${target.id}`)).json()).toEqual(target);
      expect(denials).toEqual([
        { status: 403, role: 'NURSE', path: `/patients/${target.id}` },
        { status: 403, role: 'BILLING', path: `/patients/${target.id}` },
        { status: 401, role: undefined, path: `/patients/${target.id}` },
      ]);
    });

    itHonoursTokenRevocation(() => ({
      issuer: t.issuer,
      role: 'DOCTOR',
      call: (authorization, url = t.baseUrl) => fetch(`${url}/patients/${existing.id}`, { headers: { authorization } }),
      boot: (settings) => t.boot(settings),
    }));

    it('documents the roles of every route in OpenAPI', () => {
      const paths = buildOpenApiDocument(t.app, { title: 'Patients', description: '' }).paths;
      const roles = {
        'GET /patients': 'ADMIN, DOCTOR, NURSE, BILLING',
        'GET /patients/{id}': 'ADMIN, DOCTOR, NURSE, BILLING',
        'POST /patients': 'ADMIN, DOCTOR, NURSE',
        'PUT /patients/{id}': 'ADMIN, DOCTOR, NURSE',
        'DELETE /patients/{id}': 'ADMIN',
        'POST /patients/{id}/restore': 'ADMIN',
        'GET /audit': 'ADMIN',
        'GET /patients/{id}/access-log': 'ADMIN',
      };
      for (const [route, allowed] of Object.entries(roles)) {
        const [method, path] = route.split(' ');
        const operation = (paths[path] as Record<string, { description?: string; security?: unknown; responses: object }>)[method.toLowerCase()];
        expect({ route, description: operation.description }).toEqual({ route, description: expect.stringMatching(new RegExp(`Roles: ${allowed}\\.$`)) });
        expect(operation.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    });
  });

  describe('when billing is stuck or gone', () => {
    it('still creates within the gRPC deadline when billing does not answer', async () => {
      t.billing.hang = true;
      const started = Date.now();
      const patient = await create();
      const elapsed = Date.now() - started;
      t.billing.hang = false;

      expect(elapsed).toBeLessThan(BILLING_DEADLINE_MS + 1500);
      expect(t.billing.callsFor(patient.id)).toHaveLength(1);
      await waitForEvent(patient.id, 'PATIENT_CREATED');
    });

    it('still creates quickly when the billing server is stopped, and queues the account on billing-account', async () => {
      const requests = await new KafkaTopicProbe([Topics.billingAccount]).start();
      try {
        await t.billing.stop();
        const started = Date.now();
        const patient = await create();
        const elapsed = Date.now() - started;

        expect(elapsed).toBeLessThan(BILLING_DEADLINE_MS + 1500);
        expect((await send('GET', `/patients/${patient.id}`)).status).toBe(200);
        await waitForEvent(patient.id, 'PATIENT_CREATED');
        // The compat fallback: billing opens the account when it reads this.
        const queued = await requests.waitFor((m) => m.key === patient.id);
        expect(decodeBillingAccountEvent(queued.value!)).toMatchObject({ patientId: patient.id, event_type: 'BILLING_ACCOUNT_CREATE_REQUESTED' });
        expect(queued.headers['x-request-id']).toBeTruthy();

        // Once failures dominate the rolling window the circuit opens: registrations stop waiting on billing.
        const client = t.app.get(BillingClient);
        for (let i = 0; i < 40 && !client.circuitOpen; i++) await create();
        expect(client.circuitOpen).toBe(true);
        const fast = Date.now();
        const another = await create();
        expect(Date.now() - fast).toBeLessThan(1000);
        await requests.waitFor((m) => m.key === another.id);
      } finally {
        await requests.stop();
      }
    }, 60_000);
  });

  it('reports the database, Kafka and Redis ready, without a token', async () => {
    const response = await send('GET', '/health/ready', undefined, { authorization: '' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ info: { database: { status: 'up' }, kafka: { status: 'up' }, redis: { status: 'up' } } });
  });
});
