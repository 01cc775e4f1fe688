import { randomUUID } from 'node:crypto';
import { type Role } from '@pm/auth-tokens';
import { waitFor } from '@pm/testing';
import { DEMO_PASSWORD, DEMO_USERS, call, expectStatus, freshClientAddress, logIn } from './support/security-clients';

jest.setTimeout(90_000);

const clientAddress = freshClientAddress();
const REASON = 'Collapsed in the waiting room, checking allergies';

/**
 * Restricted records on the running system, through the gateway: a doctor joins a patient's care
 * team when a nurse books them a visit (appointment service → Kafka → patient service), restricts
 * the record, and another doctor is refused until they break the glass, which ADMIN then sees.
 */
describe('restricted records and break the glass end to end', () => {
  const tokens = {} as Record<Role, string>;
  let treating: { id: string; token: string };
  let patientId: string;

  const as = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call('gateway', method, `/api${path}`, { token, body, headers, from: clientAddress });

  beforeAll(async () => {
    for (const role of ['ADMIN', 'DOCTOR', 'NURSE'] as Role[]) tokens[role] = (await logIn(DEMO_USERS[role], DEMO_PASSWORD, clientAddress)).token;
    const email = `dr.restricted.${randomUUID().slice(0, 8)}@example.com`;
    const password = `Restricted-${randomUUID()}`;
    const doctor = await call('gateway', 'POST', '/auth/users', { token: tokens.ADMIN, body: { email, password, role: 'DOCTOR' }, from: clientAddress });
    expectStatus(doctor, 201, 'create a doctor');
    treating = { id: doctor.body.id, token: (await logIn(email, password, clientAddress)).token };
    const unique = randomUUID().slice(0, 8);
    const patient = await as(tokens.ADMIN, 'POST', '/patients', {
      name: `Rita Restricted ${unique}`,
      email: `rita.${unique}@example.com`,
      address: '9 Private Lane',
      dateOfBirth: '1968-03-03',
      registeredDate: '2024-01-01',
    });
    expectStatus(patient, 201, 'register');
    patientId = patient.body.id;
  });

  it('learns the care team from a booking, and keeps the restricted record to it until the glass is broken', async () => {
    // A nurse books the doctor a visit: a SCHEDULED appointment someone else booked.
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(10, 0, 0, 0);
    const booking = await waitFor(
      async () => {
        const attempt = await as(tokens.NURSE, 'POST', '/appointments', {
          patientId,
          doctorId: treating.id,
          reason: 'Follow-up',
          startTime: start.toISOString(),
          endTime: new Date(start.getTime() + 30 * 60_000).toISOString(),
        });
        // Until the appointment service has read the patient's event it does not know the patient.
        return attempt.status === 400 && attempt.body.errors?.patientId ? undefined : attempt;
      },
      { description: 'the appointment service to know the patient' },
    );
    expectStatus(booking, 201, 'book');
    const team = await waitFor(
      async () => {
        const answer = await as(tokens.ADMIN, 'GET', `/patients/${patientId}/care-team`);
        return answer.body.members?.length ? answer.body.members : undefined;
      },
      { description: 'the patient service to learn the appointment' },
    );
    expect(team).toEqual([{ userId: treating.id, why: 'APPOINTMENT', appointment: { id: booking.body.id, status: 'SCHEDULED', startTime: start.toISOString() } }]);

    expectStatus(await as(treating.token, 'POST', `/patients/${patientId}/allergies`, { substance: { text: 'Peanuts' }, severity: 'severe', criticality: 'high' }), 201, 'record an allergy');
    expectStatus(await as(tokens.DOCTOR, 'POST', `/patients/${patientId}/restriction`, { reason: 'Not treating' }), 403, 'restrict by another doctor');
    expectStatus(await as(treating.token, 'POST', `/patients/${patientId}/restriction`, { reason: 'Member of staff' }), 200, 'restrict');

    const refused = await as(tokens.DOCTOR, 'GET', `/patients/${patientId}/allergies`);
    expectStatus(refused, 403, 'read by another doctor');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'CLINICAL_RECORD_RESTRICTED', detail: expect.stringContaining('X-Access-Reason') });
    expectStatus(await as(tokens.DOCTOR, 'GET', `/patients/${patientId}`), 200, 'demographics');
    const short = await as(tokens.DOCTOR, 'GET', `/patients/${patientId}/allergies`, undefined, { 'X-Access-Reason': 'now' });
    expectStatus(short, 400, 'a short reason');
    expect(Object.keys(short.body.errors)).toEqual(['X-Access-Reason']);

    const broken = await as(tokens.DOCTOR, 'GET', `/patients/${patientId}/record`, undefined, { 'X-Access-Reason': REASON });
    expectStatus(broken, 200, 'break the glass');
    expect(broken.body.allergies.map((allergy: { substance: { text: string } }) => allergy.substance.text)).toEqual(['Peanuts']);
    expectStatus(await as(tokens.DOCTOR, 'GET', `/patients/${patientId}/allergies`), 200, 'read within the hour');
    expectStatus(await as(tokens.DOCTOR, 'POST', `/patients/${patientId}/notes`, { text: 'Emergency note' }, { 'X-Access-Reason': REASON }), 403, 'write under break the glass');

    const emergency = await as(tokens.ADMIN, 'GET', `/audit?outcome=EMERGENCY&patientId=${patientId}`);
    expectStatus(emergency, 200, 'EMERGENCY entries');
    expect(emergency.body.entries).toHaveLength(2);
    for (const entry of emergency.body.entries) expect(entry).toMatchObject({ outcome: 'EMERGENCY', reason: REASON, actorRole: 'DOCTOR' });

    // The treating doctor lifts the restriction through the gateway; deleting the patient stays ADMIN's.
    expectStatus(await as(treating.token, 'DELETE', `/patients/${patientId}`), 403, 'delete the patient as a doctor');
    expectStatus(await as(treating.token, 'DELETE', `/patients/${patientId}/restriction`), 204, 'lift');
    expectStatus(await as(tokens.NURSE, 'GET', `/patients/${patientId}/allergies`), 200, 'read once lifted');
  });
});
