import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { FHIR_JSON, VITAL_SIGNS_PROFILE } from '@pm/fhir';
import { expectValidFhir } from '@pm/testing';
import { patientFactory } from '../testing/patient-factory';
import { usePatientApp } from '../testing/patient-test-context';

jest.setTimeout(60_000);

const newPatient = patientFactory('Fhirish');

type Sender = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- FHIR answers are read as plain JSON here
type Outcome = { resourceType: string; issue: { severity: string; code: string; diagnostics: string; expression?: string[]; details?: { text: string } }[] };

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

/**
 * The appointment service's `GET /fhir/R4/Appointment?patient=` as its contract says (fhir-edge
 * builds it; not on this branch yet, so the real app cannot serve it here): a searchset Bundle,
 * paged with a `next` link. It remembers the Authorization it was asked with; for the patients
 * in `failing` it answers 500, for those in `slow` it answers late.
 */
class AppointmentServiceStub {
  readonly requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  readonly failing = new Set<string>();
  readonly slow = new Set<string>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.requests.push({ url: request.url ?? '', headers: request.headers });
      const url = new URL(request.url ?? '/', 'http://stub');
      const patient = url.searchParams.get('patient') ?? '';
      const page = Number(url.searchParams.get('_offset') ?? '0') + 1;
      const answer = () => {
        if (this.failing.has(patient)) return response.writeHead(500).end();
        const appointment = (n: number) => ({
          resourceType: 'Appointment',
          id: `${patient.slice(0, 8)}-appt-${n}`,
          status: 'booked',
          start: `2026-12-1${n}T09:00:00Z`,
          end: `2026-12-1${n}T09:30:00Z`,
          participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }],
        });
        // Two pages of one appointment each: the client must follow `next`, on its own base URL.
        const bundle = {
          resourceType: 'Bundle',
          type: 'searchset',
          total: 2,
          link: page === 1 ? [{ relation: 'next', url: `http://elsewhere.example/fhir/R4/Appointment?patient=${patient}&_count=1&_offset=1` }] : [],
          entry: [{ fullUrl: `http://stub/fhir/R4/Appointment/${page}`, resource: appointment(page), search: { mode: 'match' } }],
        };
        response.writeHead(200, { 'content-type': FHIR_JSON }).end(JSON.stringify(bundle));
      };
      if (this.slow.has(patient)) setTimeout(answer, 1500);
      else answer();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const appointments = new AppointmentServiceStub();
const env: Record<string, string> = { APPOINTMENT_SERVICE_DEADLINE_MS: '1000' };
// Before usePatientApp's hooks: the app boots with the stub's address.
beforeAll(async () => {
  env.APPOINTMENT_SERVICE_URL = await appointments.start();
});
afterAll(() => appointments.stop());

/** Expects an OperationOutcome answer with `status`, and returns it. */
async function expectOutcome(response: Response, status: number): Promise<Outcome> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain(FHIR_JSON);
  const outcome = (await response.json()) as Outcome;
  expect(outcome.resourceType).toBe('OperationOutcome');
  expectValidFhir(outcome);
  return outcome;
}

const expressionsOf = (outcome: Outcome) => outcome.issue.flatMap((issue) => issue.expression ?? []);

const fhirPatient = (overrides: Json = {}) => {
  const rest = newPatient();
  return {
    resourceType: 'Patient',
    name: [{ given: rest.name.split(' ').slice(0, -1), family: rest.name.split(' ').at(-1) }],
    telecom: [{ system: 'email', value: rest.email }],
    address: [{ line: [rest.address], city: 'Springfield' }],
    birthDate: rest.dateOfBirth,
    ...overrides,
  };
};

describe('FHIR R4 on the patient service (real PostgreSQL, Redis, Kafka)', () => {
  const t = usePatientApp('patient_int_fhir', env);
  const doctorId = randomUUID();
  let doctor: Sender;
  let doctorToken: string;
  let nurse: Sender;

  beforeAll(async () => {
    const as = (authorization: string): Sender => (method, path, body, headers = {}) =>
      fetch(`${t.baseUrl}${path}`, {
        method,
        headers: { 'content-type': FHIR_JSON, authorization, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    doctorToken = await t.issuer.bearer('DOCTOR', { userId: doctorId, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    doctor = as(doctorToken);
    nurse = t.sendAs('NURSE');
  });

  async function registered(): Promise<string> {
    const response = await t.send('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  /** A NURSE reads the resource back as it was answered, with its first version as ETag. */
  async function expectReadBack(type: string, resource: Json): Promise<void> {
    const read = await nurse('GET', `/fhir/R4/${type}/${resource.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('W/"1"');
    expect(await read.json()).toEqual(resource);
  }

  async function created(type: string, resource: Json, by: Sender = doctor): Promise<{ response: Response; resource: Json }> {
    const response = await by('POST', `/fhir/R4/${type}`, resource);
    expect(response.status).toBe(201);
    return { response, resource: (await response.json()) as Json };
  }

  describe('Patient', () => {
    it('creates a patient as POST /patients does (201, Location, ETag), which reads back the same over FHIR and REST', async () => {
      const posted = fhirPatient();
      const { response, resource } = await created('Patient', posted);
      expect(response.headers.get('content-type')).toContain(FHIR_JSON);
      expect(response.headers.get('location')).toBe(`${t.baseUrl}/fhir/R4/Patient/${resource.id}`);
      expect(response.headers.get('etag')).toBe('W/"1"');
      expectValidFhir(resource);
      const name = `${posted.name[0].given.join(' ')} ${posted.name[0].family}`;
      expect(resource).toMatchObject({
        resourceType: 'Patient',
        meta: { versionId: '1' },
        name: [{ text: name }],
        telecom: [{ system: 'email', value: posted.telecom[0].value }],
        address: [{ text: `${posted.address[0].line[0]}, Springfield` }],
        birthDate: posted.birthDate,
      });

      await expectReadBack('Patient', resource);

      const rest = (await (await t.send('GET', `/patients/${resource.id}`)).json()) as Json;
      expect(rest).toEqual({
        id: resource.id,
        name,
        email: posted.telecom[0].value,
        address: resource.address[0].text,
        dateOfBirth: posted.birthDate,
        registeredDate: resource.extension[0].valueDate,
      });
    });

    it('refuses bad input with a 400 OperationOutcome naming the element, never a 500', async () => {
      const future = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ birthDate: '2999-01-01' })), 400);
      expect(expressionsOf(future)).toEqual(['Patient.birthDate']);
      expect(future.issue[0]).toMatchObject({ severity: 'error', code: 'invalid', details: { text: 'VALIDATION_FAILED' } });
      expect(future.issue[0].diagnostics).toContain('Date of birth cannot be in the future');

      const noEmail = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ telecom: undefined })), 400);
      expect(expressionsOf(noEmail)).toEqual(['Patient.telecom']);
      const phone = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ telecom: [{ system: 'phone', value: '555' }] })), 400);
      expect(expressionsOf(phone)).toEqual(['Patient.telecom']);
      const unknown = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ gender: 'female' })), 400);
      expect(expressionsOf(unknown)).toEqual(['Patient.gender']);
      const twoNames = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ name: [{ text: 'A' }, { text: 'B' }] })), 400);
      expect(expressionsOf(twoNames)).toEqual(['Patient.name']);
      const wrongType = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', { resourceType: 'Observation' }), 400);
      expect(expressionsOf(wrongType)).toEqual(['Patient.resourceType']);
      const notAResource = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', [1, 2]), 400);
      expect(expressionsOf(notAResource)).toEqual(['Patient']);
      const badRegistered = fhirPatient({ extension: [{ url: 'urn:pm:fhir:StructureDefinition/registered-date', valueDate: 'yesterday' }] });
      expect(expressionsOf(await expectOutcome(await doctor('POST', '/fhir/R4/Patient', badRegistered), 400))).toEqual(['Patient.extension']);
      const otherExtension = fhirPatient({ extension: [{ url: 'http://example.org/x', valueString: 'y' }] });
      expect(expressionsOf(await expectOutcome(await doctor('POST', '/fhir/R4/Patient', otherExtension), 400))).toEqual(['Patient.extension']);
    });

    it('answers hostile input (NUL in the body or a query, a body that is not JSON) with a 4xx OperationOutcome, never a 500', async () => {
      const nul = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ name: [{ text: 'Ada\u0000' }] })), 400);
      expect(expressionsOf(nul)).toEqual(['name.0.text']);
      expect(expressionsOf(await expectOutcome(await doctor('GET', '/fhir/R4/Patient?name=a%00'), 400))).toEqual(['name']);
      const notJson = await fetch(`${t.baseUrl}/fhir/R4/Patient`, { method: 'POST', headers: { authorization: doctorToken, 'content-type': FHIR_JSON }, body: '{"resourceType":' });
      // Refused by the body parser before any route, and still answered as an OperationOutcome.
      expect(((await expectOutcome(notJson, 400)) as Json).issue).toEqual([expect.objectContaining({ code: 'invalid', diagnostics: 'The request body is not valid JSON' })]);
    });

    it('checks duplicates as POST /patients does: a taken email, a likely duplicate unless confirmed', async () => {
      const first = fhirPatient();
      await created('Patient', first);
      const taken = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', fhirPatient({ telecom: first.telecom })), 409);
      expect(taken.issue[0]).toMatchObject({ code: 'conflict', expression: ['Patient.telecom'], details: { text: 'PATIENT_EMAIL_TAKEN' } });

      const twin = fhirPatient({ name: first.name, birthDate: first.birthDate });
      const likely = await expectOutcome(await doctor('POST', '/fhir/R4/Patient', twin), 409);
      expect(likely.issue[0].details?.text).toBe('PATIENT_LIKELY_DUPLICATE');
      expect((await doctor('POST', '/fhir/R4/Patient?confirmDuplicate=true', twin)).status).toBe(201);
    });

    it('answers a retry with the same Idempotency-Key with the first patient', async () => {
      const posted = fhirPatient({ extension: [{ url: 'urn:pm:fhir:StructureDefinition/registered-date', valueDate: '2024-03-01' }] });
      const key = { 'idempotency-key': randomUUID() };
      const once = await doctor('POST', '/fhir/R4/Patient', posted, key);
      const again = await doctor('POST', '/fhir/R4/Patient', posted, key);
      expect(once.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get('location')).toBe(once.headers.get('location'));
      expect(((await again.json()) as Json).extension).toEqual([{ url: 'urn:pm:fhir:StructureDefinition/registered-date', valueDate: '2024-03-01' }]);
      const changed = await doctor('POST', '/fhir/R4/Patient', { ...posted, birthDate: '1950-02-02' }, key);
      expect((await expectOutcome(changed, 422)).issue[0].details?.text).toBe('PATIENT_IDEMPOTENCY_KEY_REUSED');
    });

    it('searches as the REST search: name with a typo, exact birthdate and email, paged with next links and total', async () => {
      const label = `Zebulon${randomUUID().slice(0, 6).replace(/\d/g, 'q')}`;
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const response = await t.send('POST', '/patients', { ...newPatient(), name: `${label} Quartermaine ${'abc'[i]}` });
        ids.push(((await response.json()) as Json).id);
      }
      const typo = label.slice(0, -1);
      const rest = (await (await t.send('GET', `/patients?searchValue=${typo}&size=100`)).json()) as Json;
      const first = await doctor('GET', `/fhir/R4/Patient?name=${typo}&_count=2`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toContain(FHIR_JSON);
      const page1 = (await first.json()) as Json;
      expectValidFhir(page1);
      expect(page1).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: rest.totalElements });
      const next = page1.link.find((link: Json) => link.relation === 'next').url as string;
      expect(next).toContain('_offset=2');
      const page2 = (await (await doctor('GET', next.replace(/^https?:\/\/[^/]+/, ''))).json()) as Json;
      const found = [...page1.entry, ...page2.entry].map((entry: Json) => entry.resource.id);
      expect(found).toEqual(rest.patients.map((patient: Json) => patient.id));
      expect(page2.link.find((link: Json) => link.relation === 'next')).toBeUndefined();
      expect(page1.entry[0].fullUrl).toBe(`${t.baseUrl}/fhir/R4/Patient/${found[0]}`);

      const restPatient = rest.patients.find((patient: Json) => patient.id === ids[1]);
      const byBirthdate = (await (await doctor('GET', `/fhir/R4/Patient?birthdate=${restPatient.dateOfBirth}&name=${label}`)).json()) as Json;
      expect(byBirthdate.entry.map((entry: Json) => entry.resource.id)).toEqual([ids[1]]);
      const byEmail = (await (await doctor('GET', `/fhir/R4/Patient?email=${restPatient.email.toUpperCase()}`)).json()) as Json;
      expect(byEmail).toMatchObject({ total: 1, entry: [{ resource: { id: ids[1], birthDate: restPatient.dateOfBirth } }] });
      const byBoth = (await (await doctor('GET', `/fhir/R4/Patient?email=${restPatient.email}&birthdate=1900-01-01`)).json()) as Json;
      expect(byBoth).toMatchObject({ total: 0 });
      expect(byBoth.entry).toBeUndefined();
      const pastTheEnd = (await (await doctor('GET', `/fhir/R4/Patient?email=${restPatient.email}&_offset=3`)).json()) as Json;
      expect(pastTheEnd).toMatchObject({ total: 1 });
    });

    it('refuses bad search parameters with a 400 naming each', async () => {
      const range = await expectOutcome(await doctor('GET', '/fhir/R4/Patient?birthdate=ge1980-01-01'), 400);
      expect(expressionsOf(range)).toEqual(['birthdate']);
      const many = await expectOutcome(await doctor('GET', '/fhir/R4/Patient?gender=male&_count=0&_offset=x&name=a&name=b'), 400);
      expect(expressionsOf(many).sort()).toEqual(['_count', '_offset', 'gender', 'name']);
      expect((await doctor('GET', '/fhir/R4/Patient?_format=json&_count=1')).status).toBe(200);
    });

    it('answers 404 for an unknown or deleted patient and 400 for an id that is not one, as OperationOutcomes', async () => {
      const missing = await expectOutcome(await doctor('GET', `/fhir/R4/Patient/${randomUUID()}`), 404);
      expect(missing.issue[0]).toMatchObject({ code: 'not-found', details: { text: 'PATIENT_NOT_FOUND' } });
      const id = await registered();
      expect((await t.send('DELETE', `/patients/${id}`)).status).toBe(204);
      await expectOutcome(await doctor('GET', `/fhir/R4/Patient/${id}`), 404);
      expect(expressionsOf(await expectOutcome(await doctor('GET', '/fhir/R4/Patient/not-a-uuid'), 400))).toEqual(['id']);
    });
  });

  const ALLERGY = (patientId: string): Json => ({
    resourceType: 'AllergyIntolerance',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    criticality: 'high',
    code: { text: 'Penicillin', coding: [{ system: RXNORM, code: '7980', display: 'Penicillin G' }] },
    patient: { reference: `Patient/${patientId}` },
    onsetDateTime: '2019-04-02',
    reaction: [{ manifestation: [{ text: 'Hives across the chest' }], severity: 'moderate' }],
  });
  const CONDITION = (patientId: string): Json => ({
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { text: 'Type 2 diabetes mellitus', coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }] },
    subject: { reference: `Patient/${patientId}` },
    onsetDateTime: '2021-09-14',
  });
  const MEDICATION = (patientId: string): Json => ({
    resourceType: 'MedicationStatement',
    status: 'active',
    medicationCodeableConcept: { text: 'Metformin 500 mg oral tablet', coding: [{ system: RXNORM, code: '860975' }] },
    subject: { reference: `Patient/${patientId}` },
    effectivePeriod: { start: '2024-02-01' },
    dosage: [{ text: '500 mg', route: { text: 'oral' }, timing: { code: { text: 'twice a day' } } }],
  });
  const vital = (patientId: string, code: string, value: Json, takenAt = '2026-11-30T09:30:00.000Z'): Json => ({
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: takenAt,
    ...value,
  });
  const HEART_RATE = (patientId: string) => vital(patientId, '8867-4', { valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' } });
  const bp = (systolic: number, diastolic: number, unit = 'mm[Hg]') => ({
    component: [
      { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: systolic, unit, system: UCUM, code: unit } },
      { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: diastolic, unit, system: UCUM, code: unit } },
    ],
  });
  const BLOOD_PRESSURE = (patientId: string) => vital(patientId, '85354-9', bp(128, 82));

  const CASES = [
    { type: 'AllergyIntolerance', kind: 'allergies', body: ALLERGY },
    { type: 'Condition', kind: 'conditions', body: CONDITION },
    { type: 'MedicationStatement', kind: 'medications', body: MEDICATION },
    { type: 'Observation', kind: 'vitals', body: HEART_RATE },
  ] as const;

  describe.each(CASES)('$type', ({ type, kind, body }) => {
    it('is created as the REST route records it (201, Location, ETag), valid R4, read back the same over FHIR and REST', async () => {
      const patientId = await registered();
      const { response, resource } = await created(type, body(patientId));
      expect(response.headers.get('location')).toBe(`${t.baseUrl}/fhir/R4/${type}/${resource.id}`);
      expect(response.headers.get('etag')).toBe('W/"1"');
      expectValidFhir(resource);
      expect(resource).toMatchObject({ ...body(patientId), id: resource.id, meta: { versionId: '1' } });

      await expectReadBack(type, resource);
      const rest = (await (await t.send('GET', `/patients/${patientId}/${kind}/${resource.id}`)).json()) as Json;
      expect(rest).toMatchObject({ id: resource.id, patientId, recordedBy: doctorId, version: 1 });
    });

    it('searches by patient as the REST list: the same entries, newest first, with total and next links', async () => {
      const patientId = await registered();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await created(type, body(patientId))).resource.id);
      const rest = (await (await t.send('GET', `/patients/${patientId}/${kind}?size=100`)).json()) as Json;
      const page1 = (await (await nurse('GET', `/fhir/R4/${type}?patient=Patient/${patientId}&_count=2`)).json()) as Json;
      expectValidFhir(page1);
      expect(page1.total).toBe(3);
      const next = page1.link.find((link: Json) => link.relation === 'next').url as string;
      const page2 = (await (await nurse('GET', next.replace(/^https?:\/\/[^/]+/, ''))).json()) as Json;
      const found = [...page1.entry, ...page2.entry].map((entry: Json) => entry.resource.id);
      expect(found).toEqual(rest.entries.map((entry: Json) => entry.id));
      expect(found.sort()).toEqual([...ids].sort());
    });

    it('reads an entry marked entered-in-error back with that status, and leaves it out of searches', async () => {
      const patientId = await registered();
      const { resource } = await created(type, body(patientId));
      expect((await t.sendAs('DOCTOR')('POST', `/patients/${patientId}/${kind}/${resource.id}/entered-in-error`, { reason: 'Wrong patient' })).status).toBe(200);
      const read = (await (await doctor('GET', `/fhir/R4/${type}/${resource.id}`)).json()) as Json;
      expectValidFhir(read);
      const status = read.status ?? read.verificationStatus.coding[0].code;
      expect(status).toBe('entered-in-error');
      expect(read.clinicalStatus).toBeUndefined();
      const search = (await (await doctor('GET', `/fhir/R4/${type}?patient=${patientId}`)).json()) as Json;
      expect(search.total).toBe(0);
    });

    it('answers 404 for an unknown id or patient, and for an entry of a deleted patient', async () => {
      await expectOutcome(await doctor('GET', `/fhir/R4/${type}/${randomUUID()}`), 404);
      const unknownPatient = await expectOutcome(await doctor('POST', `/fhir/R4/${type}`, body(randomUUID())), 404);
      expect(unknownPatient.issue[0].details?.text).toBe('PATIENT_NOT_FOUND');
      const patientId = await registered();
      const { resource } = await created(type, body(patientId));
      expect((await t.send('DELETE', `/patients/${patientId}`)).status).toBe(204);
      await expectOutcome(await doctor('GET', `/fhir/R4/${type}/${resource.id}`), 404);
    });

    it('needs the patient in a search, and refuses a resource without one', async () => {
      expect(expressionsOf(await expectOutcome(await doctor('GET', `/fhir/R4/${type}`), 400))).toEqual(['patient']);
      expect(expressionsOf(await expectOutcome(await doctor('GET', `/fhir/R4/${type}?patient=Patient/42`), 400))).toEqual(['patient']);
      const { patient: _p, subject: _s, ...orphan } = body(randomUUID());
      const refused = await expectOutcome(await doctor('POST', `/fhir/R4/${type}`, orphan), 400);
      expect(expressionsOf(refused)).toEqual([type === 'AllergyIntolerance' ? 'AllergyIntolerance.patient' : `${type}.subject`]);
    });
  });

  describe('Observation (vital signs)', () => {
    const VITALS = [
      ['8867-4', 72, '/min'],
      ['9279-1', 16, '/min'],
      ['8310-5', 36.8, 'Cel'],
      ['29463-7', 70.5, 'kg'],
      ['59408-5', 98, '%'],
    ] as const;

    it.each(VITALS)('%s follows the vital-signs profile: category, LOINC code, subject, effective time, UCUM quantity', async (code, value, unit) => {
      const patientId = await registered();
      const { resource } = await created('Observation', vital(patientId, code, { valueQuantity: { value, unit, system: UCUM, code: unit } }));
      expectValidFhir(resource);
      expect(resource.meta.profile).toEqual([VITAL_SIGNS_PROFILE]);
      expect(resource.status).toBe('final');
      expect(resource.category).toContainEqual(expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' })] }));
      expect(resource.code.coding).toEqual([expect.objectContaining({ system: LOINC, code, display: expect.any(String) })]);
      expect(resource.subject).toEqual({ reference: `Patient/${patientId}` });
      expect(resource.effectiveDateTime).toBe('2026-11-30T09:30:00.000Z');
      expect(resource.valueQuantity).toEqual({ value, unit, system: UCUM, code: unit });
    });

    it('gives blood pressure as components 8480-6 and 8462-4 in mm[Hg], without a value of its own', async () => {
      const patientId = await registered();
      const { resource } = await created('Observation', BLOOD_PRESSURE(patientId));
      expectValidFhir(resource);
      expect(resource.code.coding[0]).toMatchObject({ system: LOINC, code: '85354-9' });
      expect(resource.valueQuantity).toBeUndefined();
      expect(resource.component).toEqual([
        { code: { coding: [expect.objectContaining({ system: LOINC, code: '8480-6' })] }, valueQuantity: { value: 128, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' } },
        { code: { coding: [expect.objectContaining({ system: LOINC, code: '8462-4' })] }, valueQuantity: { value: 82, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' } },
      ]);
      const rest = (await (await t.send('GET', `/patients/${patientId}/vitals/${resource.id}`)).json()) as Json;
      expect(rest).toMatchObject({ code: '85354-9', systolic: 128, diastolic: 82, unit: 'mm[Hg]' });
    });

    it('searches by category and LOINC code, as the REST list holds them', async () => {
      const patientId = await registered();
      const heart = (await created('Observation', HEART_RATE(patientId))).resource.id;
      await created('Observation', BLOOD_PRESSURE(patientId));
      const byCode = (await (await doctor('GET', `/fhir/R4/Observation?patient=${patientId}&category=vital-signs&code=http://loinc.org|8867-4`)).json()) as Json;
      expect(byCode.total).toBe(1);
      expect(byCode.entry[0].resource.id).toBe(heart);
      const all = (await (await doctor('GET', `/fhir/R4/Observation?patient=${patientId}&category=vital-signs`)).json()) as Json;
      expect(all.total).toBe(2);
      expect(expressionsOf(await expectOutcome(await doctor('GET', `/fhir/R4/Observation?patient=${patientId}&category=laboratory`), 400))).toEqual(['category']);
      expect(expressionsOf(await expectOutcome(await doctor('GET', `/fhir/R4/Observation?patient=${patientId}&code=heart`), 400))).toEqual(['code']);
    });

    it.each([
      ['an unknown LOINC code', (p: string) => vital(p, '1234-5', { valueQuantity: { value: 1, unit: '/min', system: UCUM, code: '/min' } }), 'Observation.code'],
      ['no LOINC coding', (p: string) => ({ ...HEART_RATE(p), code: { text: 'pulse' } }), 'Observation.code'],
      ['an implausible value', (p: string) => vital(p, '8867-4', { valueQuantity: { value: 1200, unit: '/min', system: UCUM, code: '/min' } }), 'Observation.valueQuantity.value'],
      ['a wrong unit', (p: string) => vital(p, '8310-5', { valueQuantity: { value: 37, unit: '[degF]', system: UCUM, code: '[degF]' } }), 'Observation.valueQuantity.code'],
      ['a unit outside UCUM', (p: string) => vital(p, '8867-4', { valueQuantity: { value: 72, unit: 'bpm', system: 'http://example.org', code: 'bpm' } }), 'Observation.valueQuantity.system'],
      ['a future time', (p: string) => vital(p, '8867-4', { valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' } }, '2999-01-01T00:00:00Z'), 'Observation.effectiveDateTime'],
      ['a missing systolic part', (p: string) => vital(p, '85354-9', { component: [bp(120, 80).component[1]] }), 'Observation.component[0].valueQuantity.value'],
      ['parts in different units', (p: string) => vital(p, '85354-9', { component: [bp(120, 80).component[0], bp(120, 80, 'kPa').component[1]] }), 'Observation.component[1].valueQuantity.code'],
      ['another category', (p: string) => ({ ...HEART_RATE(p), category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }] }), 'Observation.category'],
      ['a preliminary status', (p: string) => ({ ...HEART_RATE(p), status: 'preliminary' }), 'Observation.status'],
      ['an element not kept', (p: string) => ({ ...HEART_RATE(p), interpretation: [{ text: 'high' }] }), 'Observation.interpretation'],
    ])('refuses %s with a 400 naming the element', async (_case, resource, expression) => {
      const patientId = await registered();
      const outcome = await expectOutcome(await doctor('POST', '/fhir/R4/Observation', resource(patientId)), 400);
      expect(expressionsOf(outcome)).toEqual([expression]);
    });
  });

  describe('bad clinical input', () => {
    it.each([
      ['AllergyIntolerance', (p: string) => ({ ...ALLERGY(p), onsetDateTime: '2999-01-01' }), 'AllergyIntolerance.onsetDateTime'],
      ['AllergyIntolerance', (p: string) => ({ ...ALLERGY(p), code: { coding: [{ system: RXNORM, code: 'abc' }], text: 'x' } }), 'AllergyIntolerance.code.coding[0].code'],
      ['AllergyIntolerance', (p: string) => ({ ...ALLERGY(p), code: { coding: [{ system: RXNORM, code: '1' }, { system: RXNORM, code: '2' }] } }), 'AllergyIntolerance.code.coding'],
      ['AllergyIntolerance', (p: string) => ({ ...ALLERGY(p), clinicalStatus: { coding: [{ system: 'http://example.org', code: 'active' }] } }), 'AllergyIntolerance.clinicalStatus'],
      ['AllergyIntolerance', (p: string) => ({ ...ALLERGY(p), reaction: [{ manifestation: [{ text: 'x' }], severity: 'deadly' }] }), 'AllergyIntolerance.reaction[0].severity'],
      ['Condition', (p: string) => ({ ...CONDITION(p), code: undefined }), 'Condition.code'],
      ['Condition', (p: string) => ({ ...CONDITION(p), abatementDateTime: '2020-01-01' }), 'Condition.abatementDateTime'],
      ['MedicationStatement', (p: string) => ({ ...MEDICATION(p), status: undefined }), 'MedicationStatement.status'],
      ['MedicationStatement', (p: string) => ({ ...MEDICATION(p), status: 'on-hold' }), 'MedicationStatement.status'],
      ['MedicationStatement', (p: string) => ({ ...MEDICATION(p), dosage: [{ text: 'x'.repeat(101) }] }), 'MedicationStatement.dosage[0].text'],
    ])('%s: refuses bad input with a 400 naming the element', async (type, resource, expression) => {
      const patientId = await registered();
      const outcome = await expectOutcome(await doctor('POST', `/fhir/R4/${type}`, resource(patientId)), 400);
      expect(expressionsOf(outcome)).toEqual([expression]);
    });

    it('keeps the REST rules: a medication matching an active allergy is a 409 unless acknowledged', async () => {
      const patientId = await registered();
      await created('AllergyIntolerance', ALLERGY(patientId));
      const penicillin = { ...MEDICATION(patientId), medicationCodeableConcept: { text: 'Penicillin V', coding: [{ system: RXNORM, code: '7980' }] } };
      const conflict = await expectOutcome(await doctor('POST', '/fhir/R4/MedicationStatement', penicillin), 409);
      expect(conflict.issue[0]).toMatchObject({ code: 'conflict', details: { text: 'CLINICAL_MEDICATION_ALLERGY' } });
      const acknowledged = await doctor('POST', '/fhir/R4/MedicationStatement?acknowledgeAllergy=true', penicillin);
      expect(acknowledged.status).toBe(201);
      expect(expressionsOf(await expectOutcome(await doctor('POST', '/fhir/R4/MedicationStatement?acknowledgeAllergy=maybe', penicillin), 400))).toEqual(['acknowledgeAllergy']);
    });
  });

  describe('Patient/$everything', () => {
    it("gives the Patient, its clinical resources and its Appointments (asked with the caller's token), as the REST routes hold them", async () => {
      const patientId = await registered();
      const allergy = (await created('AllergyIntolerance', ALLERGY(patientId))).resource;
      const condition = (await created('Condition', CONDITION(patientId))).resource;
      const medication = (await created('MedicationStatement', MEDICATION(patientId))).resource;
      const vitals = [(await created('Observation', HEART_RATE(patientId))).resource, (await created('Observation', BLOOD_PRESSURE(patientId))).resource];
      const inError = (await created('Condition', CONDITION(patientId))).resource;
      await t.sendAs('DOCTOR')('POST', `/patients/${patientId}/conditions/${inError.id}/entered-in-error`, { reason: 'Duplicate' });

      const response = await doctor('GET', `/fhir/R4/Patient/${patientId}/$everything`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(FHIR_JSON);
      const bundle = (await response.json()) as Json;
      expectValidFhir(bundle);
      const resources = bundle.entry.map((entry: Json) => entry.resource);
      expect(resources[0]).toEqual((await (await doctor('GET', `/fhir/R4/Patient/${patientId}`)).json()) as Json);
      expect(bundle.entry[0].search).toEqual({ mode: 'match' });
      const byType = (type: string) => resources.filter((resource: Json) => resource.resourceType === type);
      expect(byType('AllergyIntolerance')).toEqual([allergy]);
      expect(byType('Condition')).toEqual([condition]);
      expect(byType('MedicationStatement')).toEqual([medication]);
      expect(byType('Observation').map((o: Json) => o.id).sort()).toEqual(vitals.map((o) => o.id).sort());
      expect(byType('Appointment').map((a: Json) => a.id)).toEqual([`${patientId.slice(0, 8)}-appt-1`, `${patientId.slice(0, 8)}-appt-2`]);
      expect(bundle.total).toBe(resources.length);

      // The same facts as the chart: its active entries are what $everything lists.
      const chart = (await (await t.send('GET', `/patients/${patientId}/record`)).json()) as Json;
      expect(chart.conditions.map((c: Json) => c.id)).toEqual([condition.id]);
      expect(chart.allergies[0].substance.text).toBe(allergy.code.text);

      const asked = appointments.requests.filter((request) => request.url.includes(patientId));
      expect(asked.map((request) => new URL(request.url, 'http://x').searchParams.get('_offset'))).toEqual([null, '1']);
      expect(asked.every((request) => request.headers.authorization === doctorToken)).toBe(true);
    });

    it('answers 503 when the appointment service fails and 504 when it is too slow, as OperationOutcomes', async () => {
      const failing = await registered();
      appointments.failing.add(failing);
      const unavailable = await expectOutcome(await doctor('GET', `/fhir/R4/Patient/${failing}/$everything`), 503);
      expect(unavailable.issue[0]).toMatchObject({ severity: 'fatal', code: 'transient', details: { text: 'FHIR_APPOINTMENTS_UNAVAILABLE' } });
      const slow = await registered();
      appointments.slow.add(slow);
      const late = await expectOutcome(await doctor('GET', `/fhir/R4/Patient/${slow}/$everything`), 504);
      expect(late.issue[0]).toMatchObject({ code: 'timeout', details: { text: 'FHIR_APPOINTMENTS_TIMEOUT' } });
    });

    it('answers 503 when the appointment service is unreachable', async () => {
      const unreachable = await t.boot({ APPOINTMENT_SERVICE_URL: 'http://127.0.0.1:1' });
      try {
        const patientId = await registered();
        const response = await fetch(`${await unreachable.getUrl()}/fhir/R4/Patient/${patientId}/$everything`, { headers: { authorization: doctorToken } });
        const outcome = await expectOutcome(response, 503);
        expect(outcome.issue[0].diagnostics).toContain('unreachable');
      } finally {
        await unreachable.close();
      }
    });

    it('answers 404 for an unknown patient without asking the appointment service', async () => {
      const before = appointments.requests.length;
      await expectOutcome(await doctor('GET', `/fhir/R4/Patient/${randomUUID()}/$everything`), 404);
      expect(appointments.requests.length).toBe(before);
    });
  });

  describe('roles and audit', () => {
    it('refuses BILLING and ANALYST everywhere, NURSE conditions and medications, ADMIN clinical writes; 401 without a token', async () => {
      const patientId = await registered();
      const allergy = (await created('AllergyIntolerance', ALLERGY(patientId))).resource;
      for (const role of ['BILLING', 'ANALYST']) {
        const as = t.sendAs(role);
        for (const path of [`/fhir/R4/Patient/${patientId}`, `/fhir/R4/Patient?name=x`, `/fhir/R4/Patient/${patientId}/$everything`, `/fhir/R4/AllergyIntolerance/${allergy.id}`, `/fhir/R4/Observation?patient=${patientId}`]) {
          const outcome = await expectOutcome(await as('GET', path), 403);
          expect(outcome.issue[0].code).toBe('forbidden');
        }
      }
      await expectOutcome(await nurse('POST', '/fhir/R4/Condition', CONDITION(patientId)), 403);
      await expectOutcome(await nurse('POST', '/fhir/R4/MedicationStatement', MEDICATION(patientId)), 403);
      expect((await nurse('POST', '/fhir/R4/Observation', HEART_RATE(patientId))).status).toBe(201);
      await expectOutcome(await t.sendAs('ADMIN')('POST', '/fhir/R4/AllergyIntolerance', ALLERGY(patientId)), 403);
      expect((await t.sendAs('ADMIN')('GET', `/fhir/R4/AllergyIntolerance/${allergy.id}`)).status).toBe(200);
      const anonymous = await expectOutcome(await fetch(`${t.baseUrl}/fhir/R4/Patient/${patientId}`), 401);
      expect(anonymous.issue[0].code).toBe('login');
    });

    it('audits every FHIR access with its patient and entry kind, refusals too', async () => {
      const patientId = await registered();
      const allergy = (await created('AllergyIntolerance', ALLERGY(patientId))).resource;
      await nurse('GET', `/fhir/R4/AllergyIntolerance/${allergy.id}`);
      await nurse('GET', `/fhir/R4/AllergyIntolerance?patient=${patientId}`);
      await t.sendAs('BILLING')('GET', `/fhir/R4/AllergyIntolerance?patient=${patientId}`);
      await nurse('POST', '/fhir/R4/Condition', CONDITION(patientId));
      await nurse('GET', `/fhir/R4/Patient/${patientId}`);
      await nurse('GET', `/fhir/R4/Patient/${patientId}/$everything`);
      const audit = await t.send('GET', `/audit?patientId=${patientId}&size=50`);
      const entries = ((await audit.json()) as { entries: { action: string; outcome: string; entryKind: string | null; actorRole: string }[] }).entries;
      const seen = entries.filter((e) => e.actorRole !== 'ADMIN').map(({ action, outcome, entryKind, actorRole }) => `${actorRole} ${action} ${entryKind} ${outcome}`);
      expect(seen.sort()).toEqual([
        'BILLING LIST allergies DENIED',
        'DOCTOR CREATE allergies ALLOWED',
        'NURSE CREATE conditions DENIED',
        'NURSE LIST allergies ALLOWED',
        'NURSE READ allergies ALLOWED',
        'NURSE READ null ALLOWED',
        'NURSE READ record ALLOWED',
      ]);
      // A clinical resource's own id is never taken for a patient's.
      const byEntryId = (await (await t.send('GET', `/audit?patientId=${allergy.id}&size=50`)).json()) as { entries: unknown[] };
      expect(byEntryId.entries).toEqual([]);
    });
  });
});
