import { waitFor } from '@pm/testing';
import { randomInt, randomUUID } from 'node:crypto';
import demoPatients from '../apps/patient/src/demo/demo-patients.json';
import { DEMO_PASSWORD, DEMO_USERS, call, expectStatus, freshClientAddress, logIn, targetUrl, type Answer, type Target } from './support/security-clients';

jest.setTimeout(60_000);

/**
 * Bad input through the gateway (the service's answer relayed unchanged) and straight at each
 * service: deep JSON, text PostgreSQL cannot store, bodies that are not JSON, too large or
 * malformed. Each is a 4xx problem naming what is wrong, never a 500.
 */

const clientAddress = freshClientAddress();
const fromClient = { 'x-forwarded-for': clientAddress };
const UNSAFE_TEXT = 'must not contain NUL or unpaired surrogate characters';
const TOO_DEEP = { body: 'must not be nested deeper than 64 levels' };
const ONE_MIB = 1024 * 1024;
const SERVICES = ['auth', 'patient', 'billing', 'analytics', 'appointment'] as const;

const deepJson = (levels: number) => `{"email":${'['.repeat(levels)}${']'.repeat(levels)}}`;
const unique = () => randomUUID().slice(0, 8);
const newPatient = (overrides: Record<string, unknown> = {}) => ({
  name: `Hostile ${unique()}`,
  email: `hostile.${unique()}@example.com`,
  address: '1 Input Lane, Springfield',
  dateOfBirth: `19${randomInt(10, 99)}-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
  registeredDate: '2024-03-01',
  ...overrides,
});
/** A slot on a day of its own, years ahead, so no other booking overlaps it. */
const farSlot = () => {
  const start = new Date(Date.now() + randomInt(700, 3000) * 86_400_000);
  start.setUTCHours(randomInt(6, 18), 0, 0, 0);
  return { startTime: start.toISOString(), endTime: new Date(start.getTime() + 15 * 60_000).toISOString() };
};

/** A raw request: the body is sent exactly as given. */
async function send(target: Target, method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<Answer & { text: string }> {
  const response = await fetch(`${targetUrl(target)}${path}`, { method, headers: { ...fromClient, ...headers }, body, signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

function expectProblem(answer: Answer, status: number, what: string): void {
  expectStatus(answer, status, what);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

const json = { 'content-type': 'application/json' };
let admin: string;
let doctorId: string;

beforeAll(async () => {
  admin = (await logIn(DEMO_USERS.ADMIN, DEMO_PASSWORD, clientAddress)).token;
  // Bookings need an active DOCTOR: the demo one.
  const doctor = (await logIn(DEMO_USERS.DOCTOR, DEMO_PASSWORD, clientAddress)).token;
  doctorId = (await call('gateway', 'GET', '/auth/me', { token: doctor, headers: fromClient })).body.id;
});

const bearer = () => ({ authorization: `Bearer ${admin}` });

describe('JSON 5000 levels deep', () => {
  it.each([
    ['gateway', '/auth/login', false],
    ['auth', '/login', false],
    ['gateway', '/api/patients', true],
    ['patient', '/patients', true],
    ['gateway', '/api/appointments', true],
    ['appointment', '/appointments', true],
  ] as const)('at %s %s (authenticated: %s) is a 400 naming the body', async (target, path, authenticated) => {
    const answer = await send(target, 'POST', path, deepJson(5000), { ...json, ...(authenticated ? bearer() : {}) });
    expectProblem(answer, 400, `deep JSON to ${target} ${path}`);
    expect(answer.body.errors).toEqual(TOO_DEEP);
  });

  it.each(SERVICES)('straight at %s, on any path, is a 400 before anything else reads it', async (service) => {
    const answer = await send(service, 'POST', `/no-such-route-${unique()}`, deepJson(5000), { ...json, ...bearer() });
    expectProblem(answer, 400, `deep JSON to ${service}`);
    expect(answer.body.errors).toEqual(TOO_DEEP);
  });
});

describe('text PostgreSQL or a validator cannot take', () => {
  it.each(['gateway', 'auth'] as const)('a lone surrogate in the login email, at %s, is a 400 naming email', async (target) => {
    const path = target === 'gateway' ? '/auth/login' : '/login';
    const answer = await send(target, 'POST', path, JSON.stringify({ email: '\ud800@test.com', password: DEMO_PASSWORD }), json);
    expectProblem(answer, 400, 'lone surrogate login');
    expect(answer.body.errors).toEqual({ email: UNSAFE_TEXT });
  });

  it.each(['gateway', 'patient'] as const)('a lone surrogate in a patient email (create and update), at %s, is a 400 naming email', async (target) => {
    const base = target === 'gateway' ? '/api/patients' : '/patients';
    const create = await call(target, 'POST', base, { token: admin, headers: fromClient, body: newPatient({ email: `x\udc00.${unique()}@example.com` }) });
    expectProblem(create, 400, 'lone surrogate in a new patient');
    expect(create.body.errors).toEqual({ email: UNSAFE_TEXT });

    const created = await call(target, 'POST', base, { token: admin, headers: fromClient, body: newPatient() });
    expectStatus(created, 201, 'a patient to update');
    const update = await call(target, 'PUT', `${base}/${created.body.id}`, { token: admin, headers: fromClient, body: newPatient({ email: `y\ud83d.${unique()}@example.com` }) });
    expectProblem(update, 400, 'lone surrogate in an update');
    expect(update.body.errors).toEqual({ email: UNSAFE_TEXT });
  });

  it.each(['gateway', 'appointment'] as const)('NUL in an appointment reason (book and reschedule), at %s, is a 400 naming reason', async (target) => {
    const base = target === 'gateway' ? '/api/appointments' : '/appointments';
    const booking = { patientId: demoPatients[0].id, doctorId, ...farSlot() };
    const refused = await call(target, 'POST', base, { token: admin, headers: fromClient, body: { ...booking, reason: 'Pain\u0000' } });
    expectProblem(refused, 400, 'NUL in a new reason');
    expect(refused.body.errors).toEqual({ reason: UNSAFE_TEXT });

    // Just after start-up the appointment service may not have read the demo patient from Kafka yet.
    const booked = await waitFor(
      async () => {
        const answer = await call(target, 'POST', base, { token: admin, headers: fromClient, body: { ...booking, reason: 'Pain \u{1F9B7} \u200f' } });
        return answer.status === 201 && answer;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'a booking of the demo patient to reschedule' },
    );
    const rescheduled = await call(target, 'PATCH', `${base}/${booked.body.id}`, { token: admin, headers: fromClient, body: { reason: '\u0000' } });
    expectProblem(rescheduled, 400, 'NUL in a rescheduled reason');
    expect(rescheduled.body.errors).toEqual({ reason: UNSAFE_TEXT });
  });

  it.each([
    ['gateway', '/api/audit?actorId=%00'],
    ['patient', '/audit?actorId=%00'],
  ] as const)('NUL in the audit query actorId, at %s, is a 400 naming actorId', async (target, path) => {
    const answer = await call(target, 'GET', path, { token: admin, headers: fromClient });
    expectProblem(answer, 400, 'NUL in actorId');
    expect(answer.body.errors).toEqual({ actorId: UNSAFE_TEXT });
  });
});

describe('bodies that are not JSON, malformed or too large', () => {
  it.each([
    ['gateway', '/auth/login', false],
    ['auth', '/login', false],
    ['gateway', '/api/patients', true],
    ['patient', '/patients', true],
  ] as const)('at %s %s: text/plain or no type is 415, bad JSON a 400 that quotes none of it', async (target, path, authenticated) => {
    const auth = authenticated ? bearer() : {};
    const credentials = JSON.stringify({ email: DEMO_USERS.NURSE, password: 'hunter2-private' });
    expectProblem(await send(target, 'POST', path, credentials, { ...auth, 'content-type': 'text/plain' }), 415, 'text/plain');
    const untyped = await fetch(`${targetUrl(target)}${path}`, { method: 'POST', headers: { ...fromClient, ...auth }, body: new Blob([credentials]) });
    expect(untyped.status).toBe(415);
    const malformed = await send(target, 'POST', path, '{"name": "Jane Private-Patient", "dob": 1985-06-15}', { ...json, ...auth });
    expectProblem(malformed, 400, 'malformed JSON');
    expect(malformed.body).toMatchObject({ detail: 'The request body is not valid JSON', errors: { body: 'must be valid UTF-8 JSON' } });
    expect(malformed.text).not.toMatch(/Jane|Private|1985/);
  });

  it.each(['gateway', 'patient'] as const)('at %s: 1 MiB is read, a byte more is 413', async (target) => {
    const path = target === 'gateway' ? '/api/patients' : '/patients';
    const padded = (bytes: number) => {
      const head = '{"name":"';
      return `${head}${'x'.repeat(bytes - head.length - 2)}"}`;
    };
    // Read and validated: refused for its fields, not for its size.
    expectProblem(await send(target, 'POST', path, padded(ONE_MIB), { ...json, ...bearer() }), 400, '1 MiB body');
    expectProblem(await send(target, 'POST', path, padded(ONE_MIB + 1), { ...json, ...bearer() }), 413, '1 MiB + 1 body');
  });

  it('keeps the body-less logout as it was', async () => {
    const session = await logIn(DEMO_USERS.NURSE, DEMO_PASSWORD, clientAddress);
    expectStatus(await call('gateway', 'POST', '/auth/logout', { token: session.token, headers: fromClient }), 204, 'logout');
  });
});
