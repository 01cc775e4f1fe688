import type { Role } from '@pm/auth-tokens';
import { waitFor, fhirSchemaErrors } from '@pm/testing';
import type { Appointment, Bundle, CapabilityStatement, OperationOutcome } from '@medplum/fhirtypes';
import demoPatients from '../apps/patient/src/demo/demo-patients.json';
import { DEMO_PASSWORD, DEMO_USERS, call, expectStatus, freshClientAddress, logIn } from './support/security-clients';
import { gatewayUrl } from './support/system';

jest.setTimeout(90_000);

const FHIR_JSON = 'application/fhir+json';
const clientAddress = freshClientAddress();
const patientId = demoPatients[1].id;

/** The FHIR R4 edge on the running system, through the gateway, with the demo users' real tokens. */
describe('FHIR R4 through the gateway', () => {
  const tokens = {} as Record<Role, string>;
  let booked: { id: string; startTime: string; endTime: string; doctorId: string };
  let later: { id: string };

  const fhir = (path: string, role?: Role) => call('gateway', 'GET', `/fhir/R4/${path}`, { token: role ? tokens[role] : undefined, from: clientAddress });

  const expectFhir = (answer: { status: number; headers: Headers; body: unknown }, status: number) => {
    expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({ status, type: expect.stringContaining(FHIR_JSON) });
    expect(fhirSchemaErrors(answer.body as { resourceType: string })).toEqual([]);
  };

  beforeAll(async () => {
    for (const role of Object.keys(DEMO_USERS) as Role[]) tokens[role] = (await logIn(DEMO_USERS[role], DEMO_PASSWORD, clientAddress)).token;
    const doctor = await call('gateway', 'GET', '/auth/me', { token: tokens.DOCTOR, from: clientAddress });
    expectStatus(doctor, 200, 'me');
    // A day of its own far ahead, so reruns and other suites do not overlap this booking.
    const start = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 3000) * 86_400_000 + 7 * 3_600_000);
    const book = (startTime: Date) =>
      waitFor(
        async () => {
          const attempt = await call('gateway', 'POST', '/api/appointments', {
            token: tokens.DOCTOR,
            body: { patientId, doctorId: doctor.body.id, reason: 'FHIR e2e visit', startTime: startTime.toISOString(), endTime: new Date(startTime.getTime() + 20 * 60_000).toISOString() },
            from: clientAddress,
          });
          return attempt.status === 400 && attempt.body.errors?.patientId ? undefined : attempt;
        },
        { description: 'the appointment service to know the demo patient' },
      );
    const created = await book(start);
    expectStatus(created, 201, 'book');
    booked = created.body;
    const second = await book(new Date(start.getTime() + 2 * 3_600_000));
    expectStatus(second, 201, 'book the second');
    later = second.body;
  });

  it('serves the CapabilityStatement without a token: FHIR 4.0.1, every served type, Appointment read and search', async () => {
    const metadata = await call('gateway', 'GET', '/fhir/R4/metadata', { from: clientAddress });
    expectFhir(metadata, 200);
    const statement = metadata.body as CapabilityStatement;
    expect(statement.fhirVersion).toBe('4.0.1');
    const appointment = statement.rest![0].resource!.find((resource) => resource.type === 'Appointment')!;
    expect(appointment.interaction!.map((interaction) => interaction.code)).toEqual(['read', 'search-type']);
    expect(appointment.searchParam!.map((param) => param.name)).toEqual(['patient', 'date', '_count']);
  });

  it('reads the booked appointment as a FHIR Appointment with the same facts as the REST route', async () => {
    const read = await fhir(`Appointment/${booked.id}`, 'NURSE');
    expectFhir(read, 200);
    const rest = await call('gateway', 'GET', `/api/appointments/${booked.id}`, { token: tokens.NURSE, from: clientAddress });
    const appointment = read.body as Appointment;
    expect(appointment).toMatchObject({
      id: booked.id,
      status: rest.body.status === 'SCHEDULED' ? 'booked' : expect.any(String),
      start: rest.body.startTime,
      end: rest.body.endTime,
      reasonCode: [{ text: 'FHIR e2e visit' }],
    });
    expect(appointment.participant.map((participant) => participant.actor?.reference)).toEqual([`Patient/${patientId}`, `Practitioner/${booked.doctorId}`]);
  });

  it("finds it by the patient and its day, in a searchset Bundle whose links point at the gateway", async () => {
    const day = booked.startTime.slice(0, 10);
    const search = await fhir(`Appointment?patient=Patient/${patientId}&date=${day}`, 'DOCTOR');
    expectFhir(search, 200);
    const bundle = search.body as Bundle<Appointment>;
    expect(bundle).toMatchObject({ type: 'searchset', total: 2 });
    expect(bundle.entry!.map((entry) => entry.resource!.id)).toEqual([booked.id, later.id]);
    expect(bundle.entry![0].fullUrl).toBe(`${gatewayUrl}/fhir/R4/Appointment/${booked.id}`);
    expect(bundle.link![0].url.startsWith(`${gatewayUrl}/fhir/R4/Appointment?`)).toBe(true);
  });

  it('pages a search with _count and a next link a client follows through the gateway', async () => {
    const first = await fhir(`Appointment?patient=${patientId}&date=${booked.startTime.slice(0, 10)}&_count=1`, 'ADMIN');
    expectFhir(first, 200);
    const page1 = first.body as Bundle<Appointment>;
    expect(page1.entry!.map((entry) => entry.resource!.id)).toEqual([booked.id]);
    const next = page1.link!.find((link) => link.relation === 'next')!.url!;
    const second = await call('gateway', 'GET', next.slice(gatewayUrl.length), { token: tokens.ADMIN, from: clientAddress });
    expectFhir(second, 200);
    const page2 = second.body as Bundle<Appointment>;
    expect(page2.entry!.map((entry) => entry.resource!.id)).toEqual([later.id]);
    expect(page2.link!.map((link) => link.relation)).toEqual(['self']);
  });

  it('answers 401 without a token as an OperationOutcome', async () => {
    const refused = await fhir(`Appointment/${booked.id}`);
    expectFhir(refused, 401);
    expect((refused.body as OperationOutcome).issue[0]).toMatchObject({ severity: 'error', code: 'login' });
    expect(refused.headers.get('www-authenticate')).toContain('Bearer');
  });

  it.each(['BILLING', 'ANALYST'] as const)('answers 403 to %s as an OperationOutcome', async (role) => {
    const refused = await fhir(`Appointment?patient=${patientId}`, role);
    expectFhir(refused, 403);
    expect((refused.body as OperationOutcome).issue[0]).toMatchObject({ severity: 'error', code: 'forbidden' });
  });

  it('answers 404 for a resource type that is not served, and for an unknown appointment', async () => {
    const unknownType = await fhir('Encounter', 'DOCTOR');
    expectFhir(unknownType, 404);
    const missing = await fhir('Appointment/00000000-0000-4000-8000-000000000000', 'DOCTOR');
    expectFhir(missing, 404);
    expect((missing.body as OperationOutcome).issue[0].details?.text).toBe('APPOINTMENT_NOT_FOUND');
  });

  it('answers a bad search with a 400 OperationOutcome naming the parameter', async () => {
    const bad = await fhir(`Appointment?patient=${patientId}&date=yesterday`, 'DOCTOR');
    expectFhir(bad, 400);
    expect((bad.body as OperationOutcome).issue[0].expression).toEqual(['date']);
  });
});
