import { type Role } from '@pm/auth-tokens';
import { waitFor } from '@pm/testing';
import demoPatients from '../apps/patient/src/demo/demo-patients.json';
import { DEMO_PASSWORD, DEMO_USERS, call, expectStatus, freshClientAddress, logIn } from './support/security-clients';

jest.setTimeout(60_000);

/**
 * The medical record on the running system: through the gateway and straight at the patient
 * service, with the demo users' real tokens, and the demo patients' seeded histories.
 */
const clientAddress = freshClientAddress();
const demoPatient = demoPatients[0].id;

describe('the medical record end to end', () => {
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    for (const role of Object.keys(DEMO_USERS) as Role[]) tokens[role] = (await logIn(DEMO_USERS[role], DEMO_PASSWORD, clientAddress)).token;
  });

  const as = (role: Role, method: string, path: string, body?: unknown, target: 'gateway' | 'patient' = 'gateway') =>
    call(target, method, target === 'gateway' ? `/api${path}` : path, { token: tokens[role], body, from: clientAddress });

  it("shows a demo patient's seeded chart through the gateway", async () => {
    const chart = await as('NURSE', 'GET', `/patients/${demoPatient}/record`);
    expectStatus(chart, 200, 'chart');
    expect(chart.body.patient).toMatchObject({ id: demoPatient, name: demoPatients[0].name });
    expect(chart.body.vitals.map((vital: { code: string }) => vital.code).sort()).toEqual(['29463-7', '59408-5', '8310-5', '85354-9', '8867-4', '9279-1']);
    expect(chart.body.allergies.length).toBeGreaterThan(0);
  });

  it('records, corrects and reads back a vital sign through the gateway, with Location under /api', async () => {
    const recorded = await as('NURSE', 'POST', `/patients/${demoPatient}/vitals`, { code: '59408-5', value: 97, unit: '%', takenAt: new Date().toISOString() });
    expectStatus(recorded, 201, 'record');
    expect(recorded.headers.get('location')).toBe(`/api/patients/${demoPatient}/vitals/${recorded.body.id}`);
    const corrected = await call('gateway', 'PUT', `/api/patients/${demoPatient}/vitals/${recorded.body.id}`, {
      token: tokens.NURSE,
      body: { code: '59408-5', value: 96, unit: '%', takenAt: recorded.body.takenAt },
      headers: { 'if-match': 'W/"1"' },
      from: clientAddress,
    });
    expectStatus(corrected, 200, 'correct');
    const read = await as('DOCTOR', 'GET', `/patients/${demoPatient}/vitals/${recorded.body.id}`);
    expect(read.body).toMatchObject({ value: 96, version: 2 });
  });

  it.each([
    ['gateway', 'ANALYST', 403],
    ['gateway', 'BILLING', 403],
    ['patient', 'ANALYST', 403],
    ['patient', 'BILLING', 403],
    ['gateway', 'ADMIN', 200],
  ] as const)('answers %s reads of the chart by %s with %i', async (target, role, status) => {
    expect((await as(role, 'GET', `/patients/${demoPatient}/record`, undefined, target)).status).toBe(status);
  });

  it('refuses NURSE a diagnosis and ADMIN any clinical write, through the gateway', async () => {
    const diagnosis = { condition: { text: 'Migraine' } };
    expect((await as('NURSE', 'POST', `/patients/${demoPatient}/conditions`, diagnosis)).status).toBe(403);
    expect((await as('ADMIN', 'POST', `/patients/${demoPatient}/notes`, { text: 'An administrator note' })).status).toBe(403);
    expect((await as('DOCTOR', 'POST', `/patients/${demoPatient}/conditions`, diagnosis)).status).toBe(201);
  });

  it("marks a visit documented when a note names its appointment, only for that appointment's patient", async () => {
    const doctorId = (await call('gateway', 'GET', '/auth/me', { token: tokens.DOCTOR, from: clientAddress })).body.id as string;
    // A slot of its own far ahead: the demo doctor's other bookings never overlap it.
    const start = new Date(Date.UTC(2098, 0, 1, 9, 0) + (Date.now() % 200_000) * 30 * 60_000);
    const book = (patientId: string, offsetMinutes: number) =>
      // The appointment service learns of demo patients from Kafka: right after start-up it may not know one yet.
      waitFor(
        async () => {
          const startTime = new Date(start.getTime() + offsetMinutes * 60_000);
          const body = { patientId, doctorId, startTime: startTime.toISOString(), endTime: new Date(startTime.getTime() + 30 * 60_000).toISOString(), reason: 'Sore throat' };
          const booked = await as('ADMIN', 'POST', '/appointments', body);
          return booked.status === 201 ? booked.body : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, description: 'an appointment booked' },
      );
    const visit = await book(demoPatient, 0);
    const otherVisit = await book(demoPatients[1].id, 60);
    expect(visit.documentedAt).toBeNull();

    // A note on another patient's record that names this visit documents nothing; its event goes
    // first on the visit's key, so the time the visit shows is the right note's, not this one's.
    expectStatus(await as('DOCTOR', 'POST', `/patients/${demoPatients[1].id}/notes`, { text: 'Wrong chart', appointmentId: visit.id }), 201, 'note');
    const note = await as('NURSE', 'POST', `/patients/${demoPatient}/notes`, { text: 'Throat red, no fever; fluids and rest.', appointmentId: visit.id });
    expectStatus(note, 201, 'note');
    expectStatus(await as('DOCTOR', 'POST', `/patients/${demoPatients[1].id}/notes`, { text: 'Seen today.', appointmentId: otherVisit.id }), 201, 'note');

    const documentedAt = (id: string) =>
      waitFor(async () => (await as('DOCTOR', 'GET', `/appointments/${id}`)).body.documentedAt ?? undefined, {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: `appointment ${id} documented`,
      });
    expect(await documentedAt(visit.id)).toBe(note.body.recordedAt);
    expect(await documentedAt(otherVisit.id)).toEqual(expect.any(String));
  });
});
