import type { Role } from '@pm/auth-tokens';
import { useGatewayHarness } from '../testing/gateway-test-env';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('gateway role checks (real upstream servers, real JWKS, real Redis)', () => {
  const harness = useGatewayHarness();
  const tokens = new Map<Role, string>();

  beforeAll(async () => {
    for (const role of ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST'] as const) {
      tokens.set(role, await harness.issuer.sign({ subject: `user-${role}`, claims: { role } }));
    }
  });

  const call = (role: Role, method: string, path: string) =>
    fetch(`${harness.gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(role)}`, 'content-type': 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    });

  const seenCount = () => Object.values(harness.stubs).reduce((sum, stub) => sum + stub.seen.length, 0);

  it.each([
    ['NURSE', 'DELETE', '/api/patients/p1'],
    ['BILLING', 'DELETE', '/api/patients/p1/restriction'],
    ['BILLING', 'POST', '/api/patients'],
    ['BILLING', 'PUT', '/api/patients/p1'],
    ['ANALYST', 'GET', '/api/patients'],
    ['BILLING', 'GET', '/api/appointments'],
    ['NURSE', 'DELETE', '/api/appointments/a1'],
    ['DOCTOR', 'GET', '/api/billing/accounts/p1'],
    ['NURSE', 'GET', '/api/analytics/patients/summary'],
    ['ADMIN', 'POST', '/api/analytics/patients/summary'],
    ['DOCTOR', 'GET', '/auth/users'],
    ['BILLING', 'POST', '/auth/users'],
  ] as const)('refuses %s %s %s with 403 problem+json, without calling a service', async (role, method, path) => {
    const before = seenCount();
    const response = await call(role, method, path);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(PROBLEM_JSON);
    expect(await response.json()).toMatchObject({ status: 403, title: 'Forbidden', detail: expect.stringContaining(`The ${role} role may not ${method}`) });
    expect(seenCount()).toBe(before);
  });

  it.each([
    ['ADMIN', 'DELETE', '/api/patients/p1', 'patient'],
    // Lifting a restriction; the patient service refuses a DOCTOR's DELETE of anything else.
    ['DOCTOR', 'DELETE', '/api/patients/p1/restriction', 'patient'],
    ['DOCTOR', 'PUT', '/api/patients/p1', 'patient'],
    ['NURSE', 'POST', '/api/patients', 'patient'],
    ['BILLING', 'GET', '/api/patients/p1', 'patient'],
    ['DOCTOR', 'DELETE', '/api/appointments/a1', 'appointment'],
    ['NURSE', 'PATCH', '/api/appointments/a1', 'appointment'],
    ['BILLING', 'GET', '/api/billing/accounts/p1', 'billing'],
    ['ANALYST', 'GET', '/api/analytics/patients/summary', 'analytics'],
    ['ADMIN', 'GET', '/auth/users', 'auth'],
  ] as const)('lets %s %s %s through to the %s service', async (role, method, path, service) => {
    const response = await call(role, method, path);
    expect(response.status).toBeLessThan(300);
    expect(harness.stubs[service].seen.at(-1)).toMatchObject({ method });
  });

  it('asks for a token on /auth/users (401) but leaves the other /auth routes to auth', async () => {
    const users = await fetch(`${harness.gateway.url}/auth/users`);
    expect(users.status).toBe(401);
    const me = await fetch(`${harness.gateway.url}/auth/me`, { headers: { authorization: 'Bearer anything' } });
    expect(me.status).toBe(200);
    expect(harness.stubs.auth.seen.at(-1)?.url).toBe('/me');
  });

  it('checks /auth/USERS like /auth/users (routers ignore case)', async () => {
    const response = await call('NURSE', 'GET', '/auth/USERS');
    expect(response.status).toBe(403);
  });
});
