import { type AppointmentEvent, Topics, encodeAppointmentEvent } from '@pm/contracts';
import { Clock } from '@pm/platform';
import { itAnswersEveryCaller, waitFor } from '@pm/testing';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { patientFactory } from '../testing/patient-factory';
import { usePatientApp } from '../testing/patient-test-context';
import { EMERGENCY_ACCESS_MS } from './record-access.service';

jest.setTimeout(90_000);

const newPatient = patientFactory('Restricted');

type Sender = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

interface Problem {
  status: number;
  code?: string;
  detail?: string;
  errors?: Record<string, string>;
}

interface AuditPage {
  entries: { actorId: string | null; actorRole: string | null; action: string; patientIds: string[]; outcome: string; entryKind: string | null; reason?: string }[];
}

interface CareTeam {
  members: { userId: string; why: string; assignedBy?: string; appointment?: { id: string; status: string; startTime: string } }[];
}

const VITALS = { code: '8867-4', value: 72, unit: '/min', takenAt: '2026-11-30T09:30:00Z' };
const ALLERGY = { substance: { text: 'Latex' }, reaction: 'Rash', severity: 'mild', criticality: 'low' };
const REASON = 'Unconscious in the emergency room, allergies needed';
const DAY = 24 * 60 * 60 * 1000;

describe('restricted records, care teams and break the glass (real PostgreSQL and Kafka)', () => {
  const t = usePatientApp('patient_int_record_access');
  let producer: Producer;
  let admin: Sender;
  const as = (authorization: string): Sender => (method, path, body, headers = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  /** A sender as a user of its own, with that user's id. */
  const user = async (role: string): Promise<{ id: string; send: Sender }> => {
    const id = randomUUID();
    return { id, send: as(await t.issuer.bearer(role, { userId: id, expiresAt: Math.floor(Date.now() / 1000) + 3600 })) };
  };

  beforeAll(async () => {
    admin = as(t.admin);
    producer = new Kafka({ clientId: 'record-access-int', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  afterEach(() => jest.restoreAllMocks());

  async function registered(): Promise<string> {
    const response = await admin('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function restricted(reason = 'Member of staff of this hospital'): Promise<string> {
    const patientId = await registered();
    const response = await admin('POST', `/patients/${patientId}/restriction`, { reason });
    expect(response.status).toBe(200);
    return patientId;
  }

  async function problemOf(response: Response): Promise<Problem> {
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    return (await response.json()) as Problem;
  }

  async function audit(patientId: string, query = ''): Promise<AuditPage['entries']> {
    const response = await admin('GET', `/audit?patientId=${patientId}&size=100${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as AuditPage).entries;
  }

  const publish = (...events: AppointmentEvent[]) =>
    producer.send({ topic: Topics.appointment, messages: events.map((event) => ({ key: event.appointment_id, value: encodeAppointmentEvent(event) })) });

  const appointment = (patientId: string, doctorId: string, overrides: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
    event_id: randomUUID(),
    event_type: 'APPOINTMENT_SCHEDULED',
    appointment_id: randomUUID(),
    patient_id: patientId,
    doctor_id: doctorId,
    start_time: Date.now() + DAY,
    end_time: Date.now() + DAY + 1_800_000,
    status: 'SCHEDULED',
    occurred_at: Date.now(),
    booked_by: randomUUID(),
    ...overrides,
  });

  async function careTeam(patientId: string): Promise<CareTeam['members']> {
    const response = await admin('GET', `/patients/${patientId}/care-team`);
    expect(response.status).toBe(200);
    return ((await response.json()) as CareTeam).members;
  }

  describe('restriction', () => {
    it('keeps the clinical entries of a restricted record from a clinician outside the care team, with a problem that says how to break the glass; demographics stay readable', async () => {
      const patientId = await registered();
      const outsider = await user('DOCTOR');
      expect((await outsider.send('POST', `/patients/${patientId}/allergies`, ALLERGY)).status).toBe(201);

      expect((await admin('POST', `/patients/${patientId}/restriction`, { reason: 'Member of staff of this hospital' })).status).toBe(200);

      for (const path of [`/patients/${patientId}/allergies`, `/patients/${patientId}/record`]) {
        const refused = await outsider.send('GET', path);
        expect(refused.status).toBe(403);
        const problem = await problemOf(refused);
        expect(problem.code).toBe('CLINICAL_RECORD_RESTRICTED');
        expect(problem.detail).toContain('restricted');
        expect(problem.detail).toContain('X-Access-Reason');
      }
      const write = await outsider.send('POST', `/patients/${patientId}/vitals`, VITALS);
      expect(write.status).toBe(403);
      expect((await problemOf(write)).code).toBe('CLINICAL_RECORD_RESTRICTED_WRITE');
      expect((await outsider.send('GET', `/patients/${patientId}`)).status).toBe(200);

      const denied = (await audit(patientId, '&outcome=DENIED')).filter((entry) => entry.actorId === outsider.id);
      expect(denied.map((entry) => [entry.action, entry.entryKind]).sort()).toEqual([['CREATE', 'vitals'], ['LIST', 'allergies'], ['READ', 'record']]);
    });

    it('stores the reason encrypted, shows it to ADMIN and the care team only, and restates it when restricted again', async () => {
      const patientId = await restricted('Public figure: a famous singer');
      const [row] = await t.dataSource.query('SELECT reason FROM record_restrictions WHERE patient_id = $1', [patientId]);
      expect(row.reason).not.toContain('singer');

      const shown = await admin('GET', `/patients/${patientId}/restriction`);
      expect(await shown.json()).toMatchObject({ restricted: true, reason: 'Public figure: a famous singer', restrictedBy: expect.any(String), restrictedAt: expect.any(String) });
      const outsider = await user('NURSE');
      const hidden = (await (await outsider.send('GET', `/patients/${patientId}/restriction`)).json()) as Record<string, unknown>;
      expect(hidden).toMatchObject({ restricted: true });
      expect(hidden.reason).toBeUndefined();

      await admin('POST', `/patients/${patientId}/restriction`, { reason: 'Sensitive care' });
      expect(await (await admin('GET', `/patients/${patientId}/restriction`)).json()).toMatchObject({ reason: 'Sensitive care' });
      const open = await registered();
      expect(await (await outsider.send('GET', `/patients/${open}/restriction`)).json()).toEqual({ restricted: false });
    });

    it.each([
      [{}, 'reason is required'],
      [{ reason: '   ' }, 'reason is required'],
      [{ reason: 'x'.repeat(501) }, 'reason cannot exceed 500 characters'],
    ])('refuses the restriction %j with a 400 naming reason', async (body, message) => {
      const patientId = await registered();
      const response = await admin('POST', `/patients/${patientId}/restriction`, body);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual({ reason: message });
    });

    it('lets a DOCTOR of the care team restrict and lift, and refuses any other DOCTOR; DELETE of the patient stays ADMIN-only', async () => {
      const patientId = await registered();
      const treating = await user('DOCTOR');
      const outsider = await user('DOCTOR');
      expect((await admin('POST', `/patients/${patientId}/care-team`, { userId: treating.id })).status).toBe(201);

      const refused = await outsider.send('POST', `/patients/${patientId}/restriction`, { reason: 'I think it should be' });
      expect(refused.status).toBe(403);
      expect((await problemOf(refused)).code).toBe('RECORD_RESTRICTION_NOT_TREATING');

      expect((await treating.send('POST', `/patients/${patientId}/restriction`, { reason: 'Member of staff' })).status).toBe(200);
      expect((await outsider.send('GET', `/patients/${patientId}/notes`)).status).toBe(403);
      expect((await outsider.send('DELETE', `/patients/${patientId}/restriction`)).status).toBe(403);
      expect((await treating.send('DELETE', `/patients/${patientId}`)).status).toBe(403);

      expect((await treating.send('DELETE', `/patients/${patientId}/restriction`)).status).toBe(204);
      expect((await outsider.send('GET', `/patients/${patientId}/notes`)).status).toBe(200);
      // Lifting what is not restricted changes nothing.
      expect((await admin('DELETE', `/patients/${patientId}/restriction`)).status).toBe(204);
      const changes = (await audit(patientId)).filter((entry) => entry.entryKind === 'restriction' && entry.outcome === 'ALLOWED');
      expect(changes.map((entry) => entry.actorId)).toEqual(expect.arrayContaining([treating.id]));
    });

    it('answers 404 for the restriction and care team of an unknown patient', async () => {
      const unknown = randomUUID();
      for (const [method, path, body] of [
        ['GET', `/patients/${unknown}/restriction`],
        ['POST', `/patients/${unknown}/restriction`, { reason: 'Member of staff' }],
        ['DELETE', `/patients/${unknown}/restriction`],
        ['GET', `/patients/${unknown}/care-team`],
        ['POST', `/patients/${unknown}/care-team`, { userId: randomUUID() }],
        ['DELETE', `/patients/${unknown}/care-team/${randomUUID()}`],
      ] as [string, string, unknown?][]) {
        expect((await admin(method, path, body)).status).toBe(404);
      }
    });
  });

  describe('care team', () => {
    it('learns doctors from appointment events: a recent visit or a SCHEDULED one someone else booked counts, a self-booked, cancelled or old one does not; late and repeated events change nothing', async () => {
      const patientId = await restricted();
      const [visited, scheduled, selfBooked, cancelled, old, noShow] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const completed = appointment(patientId, visited, { event_type: 'APPOINTMENT_COMPLETED', status: 'COMPLETED', start_time: Date.now() - 30 * DAY });
      const booked = appointment(patientId, scheduled);
      const cancelledLater = appointment(patientId, cancelled, { event_type: 'APPOINTMENT_CANCELLED', status: 'CANCELLED', occurred_at: Date.now() + 1000 });
      // The SCHEDULED event of the cancelled appointment arrives after its cancellation, twice.
      const cancelledEarlier = { ...cancelledLater, event_id: randomUUID(), event_type: 'APPOINTMENT_SCHEDULED' as const, status: 'SCHEDULED', occurred_at: Date.now() - 1000 };
      await publish(
        completed,
        booked,
        booked,
        appointment(patientId, selfBooked, { booked_by: selfBooked }),
        appointment(patientId, old, { event_type: 'APPOINTMENT_COMPLETED', status: 'COMPLETED', start_time: Date.now() - 400 * DAY }),
        appointment(patientId, noShow, { event_type: 'APPOINTMENT_NO_SHOW', status: 'NO_SHOW', start_time: Date.now() - DAY }),
        cancelledLater,
        cancelledEarlier,
        cancelledEarlier,
      );
      await waitFor(async () => (await t.dataSource.query('SELECT 1 FROM care_team_appointments WHERE patient_id = $1', [patientId])).length === 6, {
        description: 'the six appointments',
      });

      const members = await careTeam(patientId);
      expect(members).toEqual([
        { userId: scheduled, why: 'APPOINTMENT', appointment: { id: booked.appointment_id, status: 'SCHEDULED', startTime: new Date(booked.start_time).toISOString() } },
        { userId: visited, why: 'APPOINTMENT', appointment: { id: completed.appointment_id, status: 'COMPLETED', startTime: new Date(completed.start_time).toISOString() } },
      ]);

      const asDoctor = async (doctorId: string) => as(await t.issuer.bearer('DOCTOR', { userId: doctorId, expiresAt: Math.floor(Date.now() / 1000) + 3600 }));
      expect((await (await asDoctor(visited))('GET', `/patients/${patientId}/record`)).status).toBe(200);
      expect((await (await asDoctor(scheduled))('POST', `/patients/${patientId}/notes`, { text: 'Seen before the visit' })).status).toBe(201);
      for (const doctor of [selfBooked, cancelled, old, noShow]) expect((await (await asDoctor(doctor))('GET', `/patients/${patientId}/notes`)).status).toBe(403);
    });

    it('follows an appointment to its latest state: a visit checked in, then the same appointment cancelled', async () => {
      const patientId = await restricted();
      const doctor = randomUUID();
      const checkedIn = appointment(patientId, doctor, { event_type: 'APPOINTMENT_CHECKED_IN', status: 'CHECKED_IN', start_time: Date.now() - 60_000, booked_by: doctor });
      await publish(checkedIn);
      await waitFor(async () => (await careTeam(patientId)).length === 1, { description: 'the checked-in doctor' });
      await publish({ ...checkedIn, event_id: randomUUID(), event_type: 'APPOINTMENT_CANCELLED', status: 'CANCELLED', occurred_at: checkedIn.occurred_at + 5 });
      await waitFor(async () => (await careTeam(patientId)).length === 0, { description: 'the doctor gone from the care team' });
    });

    it('lets ADMIN assign and unassign users: an assigned NURSE reads and writes the restricted record until unassigned', async () => {
      const patientId = await restricted();
      const nurse = await user('NURSE');
      expect((await nurse.send('GET', `/patients/${patientId}/vitals`)).status).toBe(403);

      const assigned = await admin('POST', `/patients/${patientId}/care-team`, { userId: nurse.id.toUpperCase() });
      expect(assigned.status).toBe(201);
      expect(((await assigned.json()) as CareTeam).members).toEqual([{ userId: nurse.id, why: 'ASSIGNED', assignedBy: expect.any(String), assignedAt: expect.any(String) }]);
      expect((await admin('POST', `/patients/${patientId}/care-team`, { userId: nurse.id })).status).toBe(200);

      expect((await nurse.send('POST', `/patients/${patientId}/vitals`, VITALS)).status).toBe(201);
      expect((await nurse.send('GET', `/patients/${patientId}/vitals`)).status).toBe(200);

      expect((await admin('DELETE', `/patients/${patientId}/care-team/${nurse.id}`)).status).toBe(204);
      expect((await admin('DELETE', `/patients/${patientId}/care-team/${nurse.id}`)).status).toBe(204);
      expect(await careTeam(patientId)).toEqual([]);
      expect((await nurse.send('GET', `/patients/${patientId}/vitals`)).status).toBe(403);
    });

    it.each([
      ['POST', 'care-team', {}, 'userId', 'userId is required'],
      ['POST', 'care-team', { userId: 'someone' }, 'userId', 'userId must be a UUID'],
      ['DELETE', 'care-team/someone', undefined, 'userId', 'userId must be a UUID'],
    ])('answers %s %s %j with a 400 naming %s', async (method, path, body, field, message) => {
      const patientId = await registered();
      const response = await admin(method, `/patients/${patientId}/${path}`, body);
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toEqual({ [field]: message });
    });
  });

  describe('on FHIR R4', () => {
    it('refuses FHIR reads of a restricted record as REST does (a 403 OperationOutcome), and X-Access-Reason breaks the glass there too', async () => {
      const patientId = await restricted();
      const recorder = await user('DOCTOR');
      await admin('POST', `/patients/${patientId}/care-team`, { userId: recorder.id });
      const allergy = (await (await recorder.send('POST', `/patients/${patientId}/allergies`, ALLERGY)).json()) as { id: string };
      const outsider = await user('DOCTOR');

      for (const path of [`/fhir/R4/AllergyIntolerance?patient=${patientId}`, `/fhir/R4/AllergyIntolerance/${allergy.id}`, `/fhir/R4/Patient/${patientId}/$everything`]) {
        const refused = await outsider.send('GET', path);
        expect(refused.status).toBe(403);
        expect(refused.headers.get('content-type')).toContain('application/fhir+json');
        const outcome = (await refused.json()) as { resourceType: string; issue: { code: string; details?: { text: string } }[] };
        expect(outcome.resourceType).toBe('OperationOutcome');
        expect(outcome.issue[0]).toMatchObject({ code: 'forbidden', details: { text: 'CLINICAL_RECORD_RESTRICTED' } });
      }
      expect((await recorder.send('GET', `/fhir/R4/AllergyIntolerance/${allergy.id}`)).status).toBe(200);

      const broken = await outsider.send('GET', `/fhir/R4/AllergyIntolerance/${allergy.id}`, undefined, { 'X-Access-Reason': REASON });
      expect(broken.status).toBe(200);
      expect(((await broken.json()) as { id: string }).id).toBe(allergy.id);
      const emergency = (await audit(patientId, '&outcome=EMERGENCY')).filter((entry) => entry.actorId === outsider.id);
      expect(emergency.map((entry) => [entry.action, entry.entryKind, entry.reason])).toEqual([['READ', 'allergies', REASON]]);
    });
  });

  describe('break the glass', () => {
    it('opens one hour of read-only access with X-Access-Reason, every read audited EMERGENCY with the reason (stored encrypted), closed again after the hour', async () => {
      const patientId = await restricted();
      const doctor = await user('DOCTOR');
      const recorder = await user('DOCTOR');
      await admin('POST', `/patients/${patientId}/care-team`, { userId: recorder.id });
      const allergy = (await (await recorder.send('POST', `/patients/${patientId}/allergies`, ALLERGY)).json()) as { id: string };

      const short = await doctor.send('GET', `/patients/${patientId}/allergies`, undefined, { 'X-Access-Reason': 'urgent' });
      expect(short.status).toBe(400);
      expect((await problemOf(short)).errors).toEqual({ 'X-Access-Reason': expect.stringContaining('X-Access-Reason') });

      const clock = t.app.get(Clock, { strict: false });
      const opened = new Date();
      jest.spyOn(clock, 'now').mockReturnValue(opened);
      const broken = await doctor.send('GET', `/patients/${patientId}/allergies`, undefined, { 'X-Access-Reason': REASON });
      expect(broken.status).toBe(200);
      expect(((await broken.json()) as { entries: { id: string }[] }).entries.map((entry) => entry.id)).toEqual([allergy.id]);

      // The rest of the hour: reads without the header, the chart, one entry and its history.
      jest.spyOn(clock, 'now').mockReturnValue(new Date(opened.getTime() + EMERGENCY_ACCESS_MS - 1000));
      expect((await doctor.send('GET', `/patients/${patientId}/record`)).status).toBe(200);
      expect((await doctor.send('GET', `/patients/${patientId}/allergies/${allergy.id}`)).status).toBe(200);
      expect((await doctor.send('GET', `/patients/${patientId}/allergies/${allergy.id}/history`)).status).toBe(200);
      // Read-only: writes stay refused, header or not.
      const write = await doctor.send('POST', `/patients/${patientId}/notes`, { text: 'Given adrenaline' }, { 'X-Access-Reason': REASON });
      expect(write.status).toBe(403);
      expect((await problemOf(write)).code).toBe('CLINICAL_RECORD_RESTRICTED_WRITE');
      const correction = await doctor.send('PUT', `/patients/${patientId}/allergies/${allergy.id}`, ALLERGY);
      expect(correction.status).toBe(403);

      const emergency = (await audit(patientId, '&outcome=EMERGENCY')).filter((entry) => entry.actorId === doctor.id);
      expect(emergency.map((entry) => [entry.action, entry.entryKind]).sort()).toEqual([['LIST', 'allergies'], ['READ', 'allergies'], ['READ', 'allergies'], ['READ', 'record']]);
      expect(emergency.every((entry) => entry.reason === REASON && entry.actorRole === 'DOCTOR')).toBe(true);
      // Not for other entries: an ALLOWED entry carries no reason.
      const allowed = (await audit(patientId, '&outcome=ALLOWED'))[0];
      expect(allowed).not.toHaveProperty('reason');

      const [grant] = await t.dataSource.query('SELECT reason, expires_at FROM emergency_access_grants WHERE patient_id = $1', [patientId]);
      expect(grant.reason).not.toContain('Unconscious');
      expect(new Date(grant.expires_at).getTime()).toBe(opened.getTime() + EMERGENCY_ACCESS_MS);
      const audited = await t.dataSource.query(`SELECT reason FROM audit_entries WHERE outcome = 'EMERGENCY' AND $1 = ANY(patient_ids)`, [patientId]);
      expect(audited.length).toBe(4);
      for (const entry of audited) expect(entry.reason).not.toContain('Unconscious');

      jest.spyOn(clock, 'now').mockReturnValue(new Date(opened.getTime() + EMERGENCY_ACCESS_MS));
      const expired = await doctor.send('GET', `/patients/${patientId}/allergies`);
      expect(expired.status).toBe(403);
      expect((await problemOf(expired)).code).toBe('CLINICAL_RECORD_RESTRICTED');
      // Another patient is not opened by this grant.
      const other = await restricted();
      expect((await doctor.send('GET', `/patients/${other}/allergies`)).status).toBe(403);
    });

    it('lets ADMIN read a restricted record, audited as ALLOWED, and write nothing clinical', async () => {
      const patientId = await restricted();
      expect((await admin('GET', `/patients/${patientId}/record`)).status).toBe(200);
      expect((await admin('GET', `/patients/${patientId}/conditions`)).status).toBe(200);
      expect((await admin('POST', `/patients/${patientId}/notes`, { text: 'Not for ADMIN' })).status).toBe(403);
      const reads = (await audit(patientId)).filter((entry) => entry.actorRole === 'ADMIN' && ['record', 'conditions'].includes(entry.entryKind ?? ''));
      expect(reads.map((entry) => entry.outcome)).toEqual(['ALLOWED', 'ALLOWED']);
    });

    it('lists EMERGENCY entries only with ?outcome=EMERGENCY, and names outcome when it is unknown', async () => {
      const listed = await admin('GET', '/audit?outcome=EMERGENCY&size=100');
      expect(listed.status).toBe(200);
      expect(((await listed.json()) as AuditPage).entries.every((entry) => entry.outcome === 'EMERGENCY' && typeof entry.reason === 'string')).toBe(true);
      const bad = await admin('GET', '/audit?outcome=PANIC');
      expect(bad.status).toBe(400);
      expect((await problemOf(bad)).errors).toEqual({ outcome: 'outcome must be one of ALLOWED, DENIED, EMERGENCY' });
    });
  });

  describe('who may call the new routes', () => {
    let patientId: string;
    beforeAll(async () => {
      patientId = await registered();
    });
    const routes = [
      { route: 'GET /patients/:id/restriction', allowed: ['ADMIN', 'DOCTOR', 'NURSE'], success: 200, method: 'GET', path: () => `/patients/${patientId}/restriction` },
      // A DOCTOR outside the care team (as the table's token is) is refused by the service; a treating DOCTOR is tested above.
      { route: 'POST /patients/:id/restriction', allowed: ['ADMIN'], success: 200, method: 'POST', path: () => `/patients/${patientId}/restriction`, body: () => ({ reason: 'Member of staff' }) },
      { route: 'DELETE /patients/:id/restriction', allowed: ['ADMIN'], success: 204, method: 'DELETE', path: () => `/patients/${patientId}/restriction` },
      { route: 'GET /patients/:id/care-team', allowed: ['ADMIN', 'DOCTOR', 'NURSE'], success: 200, method: 'GET', path: () => `/patients/${patientId}/care-team` },
      { route: 'POST /patients/:id/care-team', allowed: ['ADMIN'], success: 201, method: 'POST', path: () => `/patients/${patientId}/care-team`, body: () => ({ userId: randomUUID() }) },
      { route: 'DELETE /patients/:id/care-team/:userId', allowed: ['ADMIN'], success: 204, method: 'DELETE', path: () => `/patients/${patientId}/care-team/${randomUUID()}` },
    ];
    itAnswersEveryCaller(routes, () => t.issuer, (route, authorization) =>
      fetch(`${t.baseUrl}${route.path()}`, {
        method: route.method,
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: route.body ? JSON.stringify(route.body()) : undefined,
      }),
    );
  });
});
