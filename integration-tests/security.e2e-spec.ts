import { ALL_ROLES, type Role } from '@pm/auth-tokens';
import { waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import demoPatients from '../apps/patient/src/demo/demo-patients.json';
import {
  DEMO_PASSWORD,
  DEMO_USERS,
  call,
  expectStatus,
  freshClientAddress,
  logIn,
  type Answer,
  type Target,
  type TokenPair,
} from './support/security-clients';
import { callFrom, freshLoopbackAddress } from './support/client-address';
import { hs256WithPublicKey, publishedKeys, resignedToken, tamperedToken, unsignedToken } from './support/security-tokens';

jest.setTimeout(60_000);

/**
 * The contract's "Who may do what", route by route and role by role, through the gateway and
 * straight at each service's own port (so a request that skips the gateway is refused the same
 * way); the token attacks; refresh rotation and reuse; logout; rate limiting and login throttling.
 * Everything against the running end-to-end system and its real Redis.
 */

// This run's own client address: its logins and anonymous calls are counted apart from other suites'.
const clientAddress = freshClientAddress();

const unique = () => randomUUID().slice(0, 8);

const newPatient = (label: string) => {
  const id = unique();
  return {
    name: `Sec ${label} ${id}`,
    email: `sec.${label.toLowerCase()}.${id}@example.com`,
    address: '7 Guard Street, Springfield',
    dateOfBirth: '1975-03-14',
    registeredDate: '2024-02-01',
  };
};

// Each booking its own day: the patient and the doctor may not be double booked.
let bookings = 0;
const futureSlot = () => {
  const start = new Date(Date.now() + (30 + bookings++) * 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  return { startTime: start.toISOString(), endTime: new Date(start.getTime() + 30 * 60_000).toISOString() };
};

const tokens = {} as Record<Role, string>;
/** Ids the route table needs, made in beforeAll as ADMIN. */
const ids = {
  demoPatient: demoPatients[0].id,
  updatablePatient: '',
  updatablePatientBody: newPatient('Updatable'),
  /** One patient for ADMIN to delete per target; other roles try the same one first. */
  deletable: {} as Record<'gateway' | 'patient', string>,
  appointment: '',
  /** The demo doctor's user id (appointments need an active DOCTOR). */
  doctor: '',
  billedPatient: '',
};

interface RouteCase {
  name: string;
  method: string;
  /** Path through the gateway. */
  gatewayPath: () => string;
  /** The service behind the route and the path it serves itself (no /api prefix). */
  service: Exclude<Target, 'gateway'>;
  servicePath: () => string;
  body?: (role: Role, target: Target) => unknown;
  allowed: readonly Role[];
  /** The status of an allowed call. */
  success: number;
  /** More to check on an allowed call's answer. */
  check?: (role: Role, answer: Answer) => void;
}

const PATIENT_FIELDS = ['address', 'dateOfBirth', 'email', 'id', 'name', 'registeredDate'];
const BILLING_PATIENT_FIELDS = ['address', 'email', 'id', 'name'];
const checkPatientFields = (role: Role, patient: Record<string, unknown>) => {
  const keys = Object.keys(patient).sort();
  if (role === 'BILLING') expect(keys).toEqual(BILLING_PATIENT_FIELDS);
  else expect(keys).toEqual(expect.arrayContaining(PATIENT_FIELDS));
};
const appointmentRange = () => {
  const from = new Date(Date.now() - 86_400_000).toISOString();
  const to = new Date(Date.now() + 400 * 86_400_000).toISOString();
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
};

const ROUTES: RouteCase[] = [
  {
    name: 'patients: list',
    method: 'GET',
    gatewayPath: () => '/api/patients?page=1&size=5',
    service: 'patient',
    servicePath: () => '/patients?page=1&size=5',
    allowed: ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING'],
    success: 200,
    check: (role, answer) => {
      expect(answer.body.patients.length).toBeGreaterThan(0);
      for (const patient of answer.body.patients) checkPatientFields(role, patient);
    },
  },
  {
    name: 'patients: get',
    method: 'GET',
    gatewayPath: () => `/api/patients/${ids.demoPatient}`,
    service: 'patient',
    servicePath: () => `/patients/${ids.demoPatient}`,
    allowed: ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING'],
    success: 200,
    check: (role, answer) => {
      expect(answer.body).toMatchObject({ id: ids.demoPatient, name: demoPatients[0].name, email: demoPatients[0].email });
      checkPatientFields(role, answer.body);
    },
  },
  {
    name: 'patients: create',
    method: 'POST',
    gatewayPath: () => '/api/patients',
    service: 'patient',
    servicePath: () => '/patients',
    body: (role, target) => newPatient(`${role}${target}`),
    allowed: ['ADMIN', 'DOCTOR', 'NURSE'],
    success: 201,
    check: (_role, answer) => expect(answer.body.id).toEqual(expect.any(String)),
  },
  {
    name: 'patients: update',
    method: 'PUT',
    gatewayPath: () => `/api/patients/${ids.updatablePatient}`,
    service: 'patient',
    servicePath: () => `/patients/${ids.updatablePatient}`,
    body: (role, target) => ({ ...ids.updatablePatientBody, address: `${role} ${target} Road` }),
    allowed: ['ADMIN', 'DOCTOR', 'NURSE'],
    success: 200,
    check: (role, answer) => expect(answer.body.address).toMatch(new RegExp(`^${role} `)),
  },
  {
    name: 'patients: delete',
    method: 'DELETE',
    gatewayPath: () => `/api/patients/${ids.deletable.gateway}`,
    service: 'patient',
    servicePath: () => `/patients/${ids.deletable.patient}`,
    allowed: ['ADMIN'],
    success: 204,
  },
  {
    name: 'appointments: list',
    method: 'GET',
    gatewayPath: () => `/api/appointments?${appointmentRange()}`,
    service: 'appointment',
    servicePath: () => `/appointments?${appointmentRange()}`,
    allowed: ['ADMIN', 'DOCTOR', 'NURSE'],
    success: 200,
    check: (_role, answer) => expect(Array.isArray(answer.body)).toBe(true),
  },
  {
    name: 'appointments: create',
    method: 'POST',
    gatewayPath: () => '/api/appointments',
    service: 'appointment',
    servicePath: () => '/appointments',
    body: (role, target) => ({ patientId: ids.demoPatient, doctorId: ids.doctor, ...futureSlot(), reason: `Role check ${role} ${target}` }),
    allowed: ['ADMIN', 'DOCTOR', 'NURSE'],
    success: 201,
  },
  {
    name: 'appointments: get',
    method: 'GET',
    gatewayPath: () => `/api/appointments/${ids.appointment}`,
    service: 'appointment',
    servicePath: () => `/appointments/${ids.appointment}`,
    allowed: ['ADMIN', 'DOCTOR', 'NURSE'],
    success: 200,
    check: (_role, answer) => expect(answer.body.id).toBe(ids.appointment),
  },
  {
    name: 'billing: account',
    method: 'GET',
    gatewayPath: () => `/api/billing/accounts/${ids.billedPatient}`,
    service: 'billing',
    servicePath: () => `/billing/accounts/${ids.billedPatient}`,
    allowed: ['ADMIN', 'BILLING'],
    success: 200,
    check: (_role, answer) => expect(answer.body.accountId).toEqual(expect.any(String)),
  },
  {
    name: 'analytics: summary',
    method: 'GET',
    gatewayPath: () => '/api/analytics/patients/summary',
    service: 'analytics',
    servicePath: () => '/analytics/patients/summary',
    allowed: ['ADMIN', 'ANALYST'],
    success: 200,
    check: (_role, answer) => expect(answer.body.total).toEqual(expect.any(Number)),
  },
  {
    name: 'users: list',
    method: 'GET',
    gatewayPath: () => '/auth/users',
    service: 'auth',
    servicePath: () => '/users',
    allowed: ['ADMIN'],
    success: 200,
    check: (_role, answer) => expect(answer.body.users.length).toBeGreaterThanOrEqual(ALL_ROLES.length),
  },
  {
    name: 'login throttles: list',
    method: 'GET',
    gatewayPath: () => '/auth/throttles',
    service: 'auth',
    servicePath: () => '/throttles',
    allowed: ['ADMIN'],
    success: 200,
    check: (_role, answer) => expect(answer.body.throttles).toEqual(expect.any(Array)),
  },
];

// ADMIN last, so the others try the delete while the patient still exists.
const CALLERS: (Role | 'anonymous')[] = ['anonymous', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST', 'ADMIN'];

beforeAll(async () => {
  for (const role of ALL_ROLES) tokens[role] = (await logIn(DEMO_USERS[role], DEMO_PASSWORD, clientAddress)).token;
  const admin = tokens.ADMIN;
  const create = async (label: string, body = newPatient(label)) => {
    const created = await call('gateway', 'POST', '/api/patients', { token: admin, body });
    expectStatus(created, 201, `creating the ${label} patient`);
    return created.body.id as string;
  };
  ids.updatablePatient = await create('Updatable', ids.updatablePatientBody);
  ids.deletable = { gateway: await create('DeletableViaGateway'), patient: await create('DeletableDirect') };
  ids.billedPatient = await create('Billed');
  ids.doctor = (await call('gateway', 'GET', '/auth/me', { token: tokens.DOCTOR })).body.id;
  const appointment = await call('gateway', 'POST', '/api/appointments', {
    token: admin,
    body: { patientId: ids.demoPatient, doctorId: ids.doctor, ...futureSlot(), reason: 'Role table fixture' },
  });
  expectStatus(appointment, 201, 'creating the fixture appointment');
  ids.appointment = appointment.body.id;
  // Registration opens the billing account (over gRPC, or later from Kafka).
  await waitFor(async () => (await call('gateway', 'GET', `/api/billing/accounts/${ids.billedPatient}`, { token: admin })).status === 200, {
    timeoutMs: 30_000,
    description: 'the billing account of the new patient',
  });
});

describe("the contract's role table, at the gateway and at each service directly", () => {
  const cases = ROUTES.flatMap((route) =>
    (['gateway', 'service'] as const).flatMap((where) => CALLERS.map((caller) => [route.name, where, caller, route] as const)),
  );

  it.each(cases)('%s, %s, as %s', async (_name, where, caller, route) => {
    const target: Target = where === 'gateway' ? 'gateway' : route.service;
    const path = where === 'gateway' ? route.gatewayPath() : route.servicePath();
    const role = caller === 'anonymous' ? undefined : caller;
    const answer = await call(target, route.method, path, {
      token: role ? tokens[role] : undefined,
      body: route.body?.(role ?? 'ADMIN', target),
      from: clientAddress,
    });
    const expected = !role ? 401 : route.allowed.includes(role) ? route.success : 403;
    expectStatus(answer, expected, `${route.method} ${targetName(target)}${path} as ${caller}`);
    if (expected >= 400) expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (role && expected === route.success) route.check?.(role, answer);
  });
});

function targetName(target: Target): string {
  return target === 'gateway' ? 'gateway ' : `${target} service `;
}

describe('forged and stale access tokens are 401 at the gateway and at a service', () => {
  let nurse: string;

  beforeAll(async () => {
    nurse = (await logIn(DEMO_USERS.NURSE, DEMO_PASSWORD, clientAddress)).token;
  });

  const attacks: [string, () => Promise<string>][] = [
    ['alg none', async () => unsignedToken(nurse)],
    ['HS256 signed with the public key (PEM)', async () => hs256WithPublicKey(nurse, (await publishedKeys())[0], 'pem')],
    ['HS256 signed with the public key (JWK)', async () => hs256WithPublicKey(nurse, (await publishedKeys())[0], 'jwk')],
    ['a tampered payload (role raised to ADMIN)', async () => tamperedToken(nurse, { role: 'ADMIN' })],
    ['expired (correctly signed)', async () => resignedToken(nurse, { expiresAt: Math.floor(Date.now() / 1000) - 120 })],
    ['for another audience (correctly signed)', async () => resignedToken(nurse, { audience: 'another-api' })],
    ['from another issuer (correctly signed)', async () => resignedToken(nurse, { issuer: 'someone-else' })],
  ];

  it('accepts the untouched token, so each refusal below is the forgery', async () => {
    expectStatus(await call('gateway', 'GET', '/api/patients', { token: nurse }), 200, 'the real token at the gateway');
    expectStatus(await call('patient', 'GET', '/patients', { token: nurse }), 200, 'the real token at the patient service');
  });

  it('accepts a token re-signed with the system key and unchanged claims (the key the cases below use is the real one)', async () => {
    expectStatus(await call('gateway', 'GET', '/api/patients', { token: await resignedToken(nurse) }), 200, 're-signed token');
  });

  it.each(attacks)('refuses a token %s', async (_what, forge) => {
    const forged = await forge();
    const atGateway = await call('gateway', 'GET', '/api/patients', { token: forged });
    expectStatus(atGateway, 401, 'gateway');
    expect(atGateway.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectStatus(await call('patient', 'GET', '/patients', { token: forged }), 401, 'patient service');
    // Tokens of a higher role must not pass the role check either.
    expectStatus(await call('gateway', 'DELETE', `/api/patients/${ids.demoPatient}`, { token: forged }), 401, 'gateway delete');
  });
});

describe('refresh tokens rotate, and a reused one ends the session', () => {
  it('gives a new pair on refresh, refuses the used refresh token, and then revokes the whole family', async () => {
    const first = await logIn(DEMO_USERS.DOCTOR, DEMO_PASSWORD, clientAddress);
    const refreshed = await call<TokenPair>('gateway', 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken }, from: clientAddress });
    expectStatus(refreshed, 200, 'refresh');
    const second = refreshed.body;
    expect(second).toMatchObject({ tokenType: 'Bearer', expiresIn: expect.any(Number) });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.token).not.toBe(first.token);
    expectStatus(await call('gateway', 'GET', '/api/patients', { token: second.token }), 200, 'the new access token');

    // The used refresh token again: refused, and the session (its newest tokens too) dies.
    const reused = await call('gateway', 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken }, from: clientAddress });
    expectStatus(reused, 401, 'reused refresh token');
    expectStatus(await call('gateway', 'GET', '/api/patients', { token: second.token }), 401, 'newest access token at the gateway');
    expectStatus(await call('patient', 'GET', '/patients', { token: second.token }), 401, 'newest access token at the patient service');
    expectStatus(
      await call('gateway', 'POST', '/auth/refresh', { body: { refreshToken: second.refreshToken }, from: clientAddress }),
      401,
      'the newest refresh token',
    );
  });

  it('leaves the user\'s other sessions alone', async () => {
    expectStatus(await call('gateway', 'GET', '/api/patients', { token: tokens.DOCTOR }), 200, "the doctor's first session");
  });
});

describe('logout', () => {
  it('stops the access token at the gateway and at every service at once, and its refresh token', async () => {
    const session = await logIn(DEMO_USERS.NURSE, DEMO_PASSWORD, clientAddress);
    expectStatus(await call('appointment', 'GET', `/appointments/${ids.appointment}`, { token: session.token }), 200, 'before logout');
    expectStatus(await call('gateway', 'POST', '/auth/logout', { token: session.token, from: clientAddress }), 204, 'logout');
    expectStatus(await call('gateway', 'GET', '/api/patients', { token: session.token }), 401, 'gateway after logout');
    expectStatus(await call('patient', 'GET', '/patients', { token: session.token }), 401, 'patient service after logout');
    expectStatus(await call('appointment', 'GET', `/appointments/${ids.appointment}`, { token: session.token }), 401, 'appointment service after logout');
    expectStatus(await call('auth', 'GET', '/validate', { token: session.token }), 401, 'auth /validate after logout');
    expectStatus(
      await call('gateway', 'POST', '/auth/refresh', { body: { refreshToken: session.refreshToken }, from: clientAddress }),
      401,
      'refresh after logout',
    );
  });
});

describe('abuse limits', () => {
  describe('login throttling', () => {
    // Accounts of their own, so no other test's logins are slowed or blocked by these failures.
    const password = `Throttle-${randomUUID()}-pass!`;
    const accounts = { mistyped: '', colleague: '' };
    const clinic = freshLoopbackAddress();
    const loginFrom = (address: string, email: string, withPassword = password) =>
      callFrom(address, 'gateway', 'POST', '/auth/login', { body: { email, password: withPassword } });

    beforeAll(async () => {
      for (const name of ['mistyped', 'colleague'] as const) {
        accounts[name] = `throttle.${name}.${unique()}@example.com`;
        const created = await call('gateway', 'POST', '/auth/users', { token: tokens.ADMIN, body: { email: accounts[name], password, role: 'NURSE' } });
        expectStatus(created, 201, `create the ${name} user`);
      }
    });

    it('10 failures for one account from one address: 429 with Retry-After for that pair, nobody else', async () => {
      for (let attempt = 1; attempt <= 10; attempt += 1) {
        expectStatus(await loginFrom(clinic, accounts.mistyped, 'not-the-password'), 401, `failure ${attempt}`);
      }
      const throttled = await loginFrom(clinic, accounts.mistyped);
      expectStatus(throttled, 429, 'the right password, from the blocked pair');
      expect(throttled.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // A colleague behind the same address, with the right password for their own account.
      expectStatus(await loginFrom(clinic, accounts.colleague), 200, 'the colleague at the same address');
      // The same account from another address.
      expectStatus(await loginFrom(freshLoopbackAddress(), accounts.mistyped), 200, 'the account from another address');
    });

    it('ADMIN lists the throttle and lifts it; other roles may not', async () => {
      const listed = await call('gateway', 'GET', '/auth/throttles', { token: tokens.ADMIN });
      expectStatus(listed, 200, 'list as ADMIN');
      const pair = (listed.body.throttles as Array<{ kind: string; key: string; address?: string }>).find(
        (throttle) => throttle.kind === 'pair' && throttle.address === clinic,
      );
      expect(pair).toBeDefined();
      expect(JSON.stringify(listed.body)).not.toContain(accounts.mistyped);
      const path = `/auth/throttles/${encodeURIComponent(pair!.key)}`;
      expectStatus(await call('gateway', 'DELETE', path, { token: tokens.NURSE }), 403, 'lift as NURSE');
      expectStatus(await call('gateway', 'DELETE', path), 401, 'lift anonymously');
      expectStatus(await call('gateway', 'DELETE', path, { token: tokens.ADMIN }), 204, 'lift as ADMIN');
      expectStatus(await call('gateway', 'DELETE', path, { token: tokens.ADMIN }), 404, 'lift it again');
      expectStatus(await loginFrom(clinic, accounts.mistyped), 200, 'the right password after the lift');
    });
  });

  it('limits one user at the gateway: RateLimit-* on every answer, then 429 with Retry-After', async () => {
    const email = `ratelimited.${unique()}@example.com`;
    const password = `Rl-${randomUUID()}-pass!`;
    expectStatus(await call('gateway', 'POST', '/auth/users', { token: tokens.ADMIN, body: { email, password, role: 'ANALYST' } }), 201, 'create user');
    const { token } = await logIn(email, password, clientAddress);
    const first = await call('gateway', 'GET', '/api/analytics/patients/summary', { token });
    expectStatus(first, 200, 'first request');
    const limit = Number(first.headers.get('ratelimit-limit'));
    expect(limit).toBeGreaterThan(0);
    expect(Number(first.headers.get('ratelimit-remaining'))).toBe(limit - 1);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(limit).toBeLessThanOrEqual(5000); // so this test stays quick

    let refused: Answer | undefined;
    for (let sent = 1; sent <= limit && !refused; sent += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, () => call('gateway', 'GET', '/api/analytics/patients/summary', { token })),
      );
      refused = batch.find((answer) => answer.status === 429);
      for (const answer of batch) expect([200, 429]).toContain(answer.status);
    }
    expect(refused).toBeDefined();
    expect(refused!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused!.headers.get('ratelimit-remaining')).toBe('0');
    // Counted per user: the admin (same address) is not limited.
    expectStatus(await call('gateway', 'GET', '/api/analytics/patients/summary', { token: tokens.ADMIN }), 200, 'another user');
  });

  it('echoes a safe X-Request-Id and makes one up for an unsafe one', async () => {
    const echoed = await call('gateway', 'GET', '/api/patients', { token: tokens.ADMIN, headers: { 'x-request-id': 'e2e-security-1' } });
    expect(echoed.headers.get('x-request-id')).toBe('e2e-security-1');
    const replaced = await call('gateway', 'GET', '/api/patients', { token: tokens.ADMIN, headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
