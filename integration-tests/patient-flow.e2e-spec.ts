import * as grpc from '@grpc/grpc-js';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingResponse, decodePatientEvent } from '@pm/contracts';
import { callUnary, loadServiceDefinition } from '@pm/grpc';
import { KafkaTopicProbe, freshLoopbackAddress, waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import demoPatients from '../apps/patient/src/demo/demo-patients.json';
import { analyticsLag, http, login } from './support/clients';
import { billingGrpcAddress, kafkaBrokers } from './support/system';

jest.setTimeout(60_000);

/**
 * The seed systems' flow, end to end, driven only as outside clients drive it: REST through the
 * gateway, gRPC on the billing port, and the `patient` Kafka topic.
 */
describe('the whole system, end to end', () => {
  let token: string;
  let probe: KafkaTopicProbe;
  let billing: grpc.Client;

  const unique = randomUUID().slice(0, 8);
  const newPatient = {
    name: `Eve Endtoend ${unique}`,
    email: `eve.${unique}@example.com`,
    address: '1 Test Way, Springfield',
    dateOfBirth: '1980-02-29',
    registeredDate: '2024-05-01',
  };
  let patientId: string;

  beforeAll(async () => {
    probe = await new KafkaTopicProbe(['patient'], kafkaBrokers).start();
    const BillingService = loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME);
    billing = new BillingService(billingGrpcAddress, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    billing?.close();
    await probe?.stop();
  });

  it('logs in the compat demo user and refuses a wrong password with 401', async () => {
    token = await login('testuser@test.com', 'password123');
    expect(token.split('.')).toHaveLength(3);

    const refused = await http('POST', '/auth/login', { body: { email: 'testuser@test.com', password: 'wrong-password' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');

    const validated = await http('GET', '/auth/validate', { token });
    expect(validated.status).toBe(200);
  });

  it('answers 401 without a token and lists the demo patients with one', async () => {
    const anonymous = await http('GET', '/api/patients');
    expect(anonymous.status).toBe(401);

    const listed = await http('GET', '/api/patients?page=1&size=100&sort=asc&sortField=name', { token });
    expect(listed.status).toBe(200);
    const ids = listed.body.patients.map((p: { id: string }) => p.id);
    for (const demo of demoPatients) expect(ids).toContain(demo.id);
    expect(listed.body).toMatchObject({ page: 1, size: 100 });
    expect(listed.body.totalElements).toBeGreaterThanOrEqual(demoPatients.length);
  });

  it('registers a patient: 201, a billing account, PATIENT_CREATED on Kafka, analytics +1, a name on appointments', async () => {
    // Analytics must have applied everything already on the topic before we take the baseline.
    await waitFor(async () => (await analyticsLag()) === 0, { timeoutMs: 30_000, description: 'analytics to catch up' });
    const before = (await http('GET', '/api/analytics/patients/summary', { token })).body;

    const created = await http('POST', '/api/patients', { token, body: newPatient });
    expect(created.status).toBe(201);
    patientId = created.body.id;
    expect(created.body).toMatchObject(newPatient);
    expect(created.headers.get('location')).toBe(`/api/patients/${patientId}`);

    // The billing account was opened at registration; gRPC returns that same account every time.
    const account = await waitFor(async () => {
      const found = await http('GET', `/api/billing/accounts/${patientId}`, { token });
      return found.status === 200 ? found.body : undefined;
    }, { description: 'the billing account' });
    const request = { patientId, name: newPatient.name, email: newPatient.email };
    const first = await callUnary<object, BillingResponse>(billing, 'CreateBillingAccount', request, { deadlineMs: 5000 });
    const second = await callUnary<object, BillingResponse>(billing, 'CreateBillingAccount', request, { deadlineMs: 5000 });
    expect(first).toEqual({ accountId: account.accountId, status: 'ACTIVE' });
    expect(second.accountId).toBe(first.accountId);

    // PATIENT_CREATED, keyed by the patient id, decodes with proto/.
    const message = await probe.waitFor((m) => m.key === patientId);
    const event = decodePatientEvent(message.value!);
    expect(event).toMatchObject({ patientId, name: newPatient.name, email: newPatient.email, event_type: 'PATIENT_CREATED' });

    // Analytics counts it exactly once.
    await waitFor(async () => (await analyticsLag()) === 0, { timeoutMs: 30_000, description: 'analytics to apply the event' });
    const after = (await http('GET', '/api/analytics/patients/summary', { token })).body;
    expect(after.total).toBe(before.total + 1);
    expect(after.createdToday).toBe(before.createdToday + 1);

    // The appointment service knows the new patient's name from the event.
    const startTime = new Date(Date.now() + 3 * 86_400_000);
    startTime.setUTCHours(9, 0, 0, 0);
    const endTime = new Date(startTime.getTime() + 30 * 60_000);
    const doctorToken = await login('doctor@test.com', 'password123');
    const doctor = (await http<{ id: string }>('GET', '/auth/me', { token: doctorToken })).body;
    // The appointment service learns of the patient from the `patient` topic; until then it answers 400.
    const booked = await waitFor(async () => {
      const attempt = await http('POST', '/api/appointments', {
        token,
        body: { patientId, doctorId: doctor.id, startTime: startTime.toISOString(), endTime: endTime.toISOString(), reason: 'First visit' },
      });
      return attempt.status === 400 && attempt.body.errors?.patientId ? undefined : attempt;
    }, { description: 'the appointment service to know the patient' });
    expect(booked.status).toBe(201);
    // Only an active DOCTOR can be booked: the nurse's user id is refused, naming the field.
    const nurse = (await http<{ id: string }>('GET', '/auth/me', { token: await login('nurse@test.com', 'password123') })).body;
    const notADoctor = await http('POST', '/api/appointments', {
      token,
      body: { patientId, doctorId: nurse.id, startTime: endTime.toISOString(), endTime: new Date(endTime.getTime() + 30 * 60_000).toISOString(), reason: 'Wrong doctor' },
    });
    expect(notADoctor.status).toBe(400);
    expect(notADoctor.body.errors).toEqual({ doctorId: 'doctorId is not an active DOCTOR' });
    const range = `from=${encodeURIComponent(new Date(startTime.getTime() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(endTime.getTime() + 3_600_000).toISOString())}`;
    const shown = await waitFor(async () => {
      const listed = await http<any[]>('GET', `/api/appointments?${range}`, { token });
      return listed.body.find((a) => a.id === booked.body.id && a.patientName === newPatient.name);
    }, { description: 'the appointment to carry the patient name' });
    expect(shown).toMatchObject({ patientId, reason: 'First visit' });
  });

  it('updates, deletes, and then answers 404', async () => {
    const updated = await http('PUT', `/api/patients/${patientId}`, {
      token,
      body: { ...newPatient, address: '2 Changed Road, Shelbyville' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.address).toBe('2 Changed Road, Shelbyville');
    const read = await http('GET', `/api/patients/${patientId}`, { token });
    expect(read.body.address).toBe('2 Changed Road, Shelbyville');
    expect(read.headers.get('etag')).toBeTruthy();

    expect((await http('DELETE', `/api/patients/${patientId}`, { token })).status).toBe(204);
    expect((await http('GET', `/api/patients/${patientId}`, { token })).status).toBe(404);

    const types = (await waitFor(() => {
      const seen = probe.messages.filter((m) => m.key === patientId).map((m) => decodePatientEvent(m.value!).event_type);
      return seen.includes('PATIENT_DELETED') ? seen : undefined;
    }, { description: 'PATIENT_UPDATED and PATIENT_DELETED' }));
    expect(types).toEqual(['PATIENT_CREATED', 'PATIENT_UPDATED', 'PATIENT_DELETED']);

    // Every access was audited, and the record of who saw the patient outlives the (soft) delete.
    const audit = await waitFor(async () => {
      const found = await http('GET', `/api/audit?patientId=${patientId}&size=100`, { token });
      const actions = new Set(found.body.entries?.map((e: { action: string }) => e.action));
      return ['CREATE', 'READ', 'UPDATE', 'DELETE'].every((a) => actions.has(a)) ? found.body.entries : undefined;
    }, { description: 'the audit entries of the patient' });
    expect(audit[0]).toMatchObject({ actorRole: 'ADMIN', outcome: 'ALLOWED', patientIds: [patientId] });
    expect(audit[0].requestId).toBeTruthy();
    const accessLog = await http('GET', `/api/patients/${patientId}/access-log`, { token });
    expect(accessLog.status).toBe(200);
    const doctorToken = await login('doctor@test.com', 'password123');
    expect((await http('GET', `/api/audit?patientId=${patientId}`, { token: doctorToken })).status).toBe(403);
    expect((await http('GET', `/api/patients/${patientId}/access-log`, { token: doctorToken })).status).toBe(403);
  });

  it("audits the gateway's refusals on patient records (NURSE delete, BILLING update, forged token) as DENIED, with the client's own address", async () => {
    const patient = demoPatients[0].id;
    const client = freshLoopbackAddress();
    // The client claims another address; the gateway trusts no forwarding header from it.
    const asClient = (requestId: string) => ({ 'x-request-id': requestId, 'x-forwarded-for': '203.0.113.9' });
    const [nurseToken, billingToken] = await Promise.all([login('nurse@test.com', 'password123'), login('billing@test.com', 'password123')]);
    const nurse = (await http<{ id: string }>('GET', '/auth/me', { token: nurseToken })).body;
    const ids = { nurse: `e2e-deny-nurse-${randomUUID()}`, billing: `e2e-deny-billing-${randomUUID()}`, forged: `e2e-deny-forged-${randomUUID()}`, read: `e2e-read-${randomUUID()}` };

    expect((await http('DELETE', `/api/patients/${patient}`, { token: nurseToken, headers: asClient(ids.nurse), from: client })).status).toBe(403);
    expect((await http('PUT', `/api/patients/${patient}`, { token: billingToken, body: {}, headers: asClient(ids.billing), from: client })).status).toBe(403);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expect((await http('GET', `/api/patients/${patient}`, { token: forged, headers: asClient(ids.forged), from: client })).status).toBe(401);
    expect((await http('GET', `/api/patients/${patient}`, { token, headers: asClient(ids.read), from: client })).status).toBe(200);

    type Entry = { requestId: string; actorId: string | null; actorRole: string | null; action: string; patientIds: string[]; sourceIp: string; outcome: string };
    const entries = await waitFor(async () => {
      const found = await http<{ entries: Entry[] }>('GET', `/api/audit?patientId=${patient}&size=100`, { token });
      const mine = new Map(found.body.entries.filter((e) => Object.values(ids).includes(e.requestId)).map((e) => [e.requestId, e]));
      return mine.size === 4 ? mine : undefined;
    }, { timeoutMs: 30_000, description: 'the DENIED entries of the refusals and the ALLOWED read' });
    expect(entries.get(ids.nurse)).toMatchObject({ actorId: nurse.id, actorRole: 'NURSE', action: 'DELETE', patientIds: [patient], sourceIp: client, outcome: 'DENIED' });
    expect(entries.get(ids.billing)).toMatchObject({ actorRole: 'BILLING', action: 'UPDATE', patientIds: [patient], sourceIp: client, outcome: 'DENIED' });
    expect(entries.get(ids.forged)).toMatchObject({ actorId: null, actorRole: null, action: 'READ', patientIds: [patient], sourceIp: client, outcome: 'DENIED' });
    expect(entries.get(ids.read)).toMatchObject({ actorRole: 'ADMIN', action: 'READ', sourceIp: client, outcome: 'ALLOWED' });
    const denied = await http<{ entries: Entry[] }>('GET', `/api/audit?outcome=DENIED&patientId=${patient}&size=100`, { token });
    expect(denied.body.entries.map((e) => e.requestId)).toEqual(expect.arrayContaining([ids.nurse, ids.billing, ids.forged]));
  });

  it('validates input with the compat messages and serves the OpenAPI documents', async () => {
    const invalid = await http('POST', '/api/patients', { token, body: { name: '', email: 'not-an-email' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toMatchObject({
      name: 'Name is required',
      email: 'Email should be valid',
      address: 'Address is required',
      dateOfBirth: 'Date of birth is required',
      registeredDate: 'Registered date is required',
    });

    for (const service of ['auth', 'patients', 'billing', 'analytics', 'appointments']) {
      const doc = await http('GET', `/api-docs/${service}`);
      expect([service, doc.status]).toEqual([service, 200]);
      expect(doc.body.openapi).toMatch(/^3\./);
    }

    const system = await http('GET', '/health/system');
    expect(system.status).toBe(200);
  });
});
