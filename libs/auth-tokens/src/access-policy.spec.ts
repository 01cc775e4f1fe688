import {
  ACCESS_POLICY,
  AccessPolicyError,
  HTTP_METHODS,
  accessRule,
  accessRules,
  areaCovering,
  documentedRoutes,
  gatewayArea,
  policyCoverage,
  resolveAccessPolicy,
  visibleFields,
  type RouteKey,
} from './access-policy';
import { ALL_ROLES, type Role } from './roles';

type Policy = Parameters<typeof resolveAccessPolicy>[0];

describe('ACCESS_POLICY', () => {
  // Written from the contract's "Who may do what" table, independently of ACCESS_POLICY.
  describe("holds the contract's table", () => {
    const READ = ['GET', 'HEAD'];
    const READ_CREATE_UPDATE = [...READ, 'POST', 'PUT', 'PATCH'];
    const ALL = [...HTTP_METHODS];
    const expected: Record<string, Record<Role, string[]>> = {
      // DOCTOR's DELETE is for lifting a restriction only: the routes narrow it (tested below).
      '/patients': { ADMIN: ALL, DOCTOR: [...READ_CREATE_UPDATE, 'DELETE'], NURSE: READ_CREATE_UPDATE, BILLING: READ, ANALYST: [] },
      '/appointments': { ADMIN: ALL, DOCTOR: ALL, NURSE: READ_CREATE_UPDATE, BILLING: [], ANALYST: [] },
      '/billing': { ADMIN: ALL, DOCTOR: [], NURSE: [], BILLING: ALL, ANALYST: [] },
      '/analytics': { ADMIN: READ, DOCTOR: [], NURSE: [], BILLING: [], ANALYST: READ },
      '/users': { ADMIN: ALL, DOCTOR: [], NURSE: [], BILLING: [], ANALYST: [] },
      '/audit': { ADMIN: READ, DOCTOR: [], NURSE: [], BILLING: [], ANALYST: [] },
      '/throttles': { ADMIN: [...READ, 'DELETE'], DOCTOR: [], NURSE: [], BILLING: [], ANALYST: [] },
    };
    const service: Record<string, 'auth' | 'patient' | 'billing' | 'analytics' | 'appointment'> = {
      '/patients': 'patient',
      '/appointments': 'appointment',
      '/billing': 'billing',
      '/analytics': 'analytics',
      '/users': 'auth',
      '/audit': 'patient',
      '/throttles': 'auth',
    };

    it.each(Object.entries(expected).flatMap(([path, byRole]) => ALL_ROLES.map((role) => [path, role, byRole[role]] as const)))(
      'grants %s to %s: %j',
      (path, role, methods) => {
        expect([...(gatewayArea(service[path], path).grants?.[role] ?? [])].sort()).toEqual([...methods].sort());
      },
    );

    it("keeps every DELETE below /patients to ADMIN except lifting a restriction, which a DOCTOR may (the contract: DOCTOR deletes no patient)", () => {
      const deletes = accessRules().filter((rule) => rule.area === 'patients' && rule.key.startsWith('DELETE '));
      expect(deletes.map((rule) => [rule.key, rule.access === 'roles' ? rule.roles : 'public'])).toEqual(
        expect.arrayContaining([
          ['DELETE /patients/{id}', ['ADMIN']],
          ['DELETE /patients/{id}/restriction', ['ADMIN', 'DOCTOR']],
        ]),
      );
      for (const rule of deletes.filter((r) => r.key !== 'DELETE /patients/{id}/restriction')) expect(rule).toMatchObject({ roles: ['ADMIN'] });
    });

    it('lets auth check its own routes (no grants at the gateway)', () => {
      expect(gatewayArea('auth', '').grants).toBeUndefined();
    });

    it('keeps patients to BILLING as name, email and address (and the id)', () => {
      for (const key of ['GET /patients', 'GET /patients/{id}'] as const) {
        expect(visibleFields(key, 'BILLING')).toEqual(['id', 'name', 'email', 'address']);
        for (const role of ['ADMIN', 'DOCTOR', 'NURSE'] as const) expect(visibleFields(key, role)).toBeUndefined();
        expect(visibleFields(key, 'ANALYST')).toEqual([]);
      }
    });
  });

  it.each([
    ['GET /patients/{id}', ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING']],
    ['POST /patients', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['DELETE /patients/{id}', ['ADMIN']],
    ['POST /patients/{id}/restore', ['ADMIN']],
    ['GET /patients/{id}/access-log', ['ADMIN']],
    // FHIR on the patient service: the REST roles, but BILLING reads no FHIR at all.
    ['GET /fhir/R4/Patient/{id}', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['POST /fhir/R4/Patient', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['GET /fhir/R4/Patient/{id}/$everything', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['GET /fhir/R4/Observation', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['POST /fhir/R4/Observation', ['DOCTOR', 'NURSE']],
    ['POST /fhir/R4/Condition', ['DOCTOR']],
    ['POST /fhir/R4/MedicationStatement', ['DOCTOR']],
    ['POST /appointments/{id}/check-in', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['POST /appointments/{id}/cancel', ['ADMIN', 'DOCTOR']],
    ['GET /me', ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST']],
    ['GET /doctors/{id}', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['PUT /users/{id}/role', ['ADMIN']],
    ['DELETE /throttles/{key}', ['ADMIN']],
    ['GET /fhir/R4/Appointment', ['ADMIN', 'DOCTOR', 'NURSE']],
    ['GET /fhir/R4/Appointment/{id}', ['ADMIN', 'DOCTOR', 'NURSE']],
  ] as [RouteKey, Role[]][])("gives %s the roles its area grants the method, or the route's fewer: %j", (key, roles) => {
    expect(accessRule(key)).toMatchObject({ access: 'roles', roles });
  });

  it.each(['POST /login', 'POST /refresh', 'GET /.well-known/jwks.json', 'GET /validate'] as RouteKey[])('leaves %s public', (key) => {
    expect(accessRule(key).access).toBe('public');
  });

  it('names every route once, with a service and at least one role unless public', () => {
    const rules = accessRules();
    expect(new Set(rules.map((rule) => rule.key)).size).toBe(rules.length);
    for (const rule of rules) if (rule.access === 'roles') expect(rule.roles.length).toBeGreaterThan(0);
    expect(new Set(rules.map((rule) => rule.service))).toEqual(new Set(['auth', 'patient', 'billing', 'analytics', 'appointment']));
  });

  it('refuses a key it does not know, and a gateway prefix with no area', () => {
    expect(() => accessRule('GET /nowhere')).toThrow(AccessPolicyError);
    expect(() => gatewayArea('patient', '/nowhere')).toThrow('No access area of patient has the path /nowhere');
  });

  it('finds the area a path lies in, the narrowest one, and none outside every area', () => {
    expect(areaCovering('appointment', '/fhir/R4/Appointment')?.grants).toEqual({ ADMIN: ['GET', 'HEAD'], DOCTOR: ['GET', 'HEAD'], NURSE: ['GET', 'HEAD'] });
    expect(areaCovering('appointment', '/appointments/a1/check-in')).toBe(gatewayArea('appointment', '/appointments'));
    expect(areaCovering('patient', '/patientsx')).toBeUndefined();
    // auth's session area ('' : every path) is not a covering area: it names no grants for anything below it.
    expect(areaCovering('auth', '/nowhere')).toBeUndefined();
  });

  it('is the policy resolveAccessPolicy accepts', () => {
    expect(resolveAccessPolicy(ACCESS_POLICY).size).toBe(accessRules().length);
  });
});

describe('resolveAccessPolicy refuses a policy that cannot hold', () => {
  const area = { service: 'patient', path: '/wards', grants: { ADMIN: ['GET', 'POST'], NURSE: ['GET'] } } as const;

  it.each<[string, Policy, string]>([
    ['a route outside its area', { wards: { ...area, routes: { 'GET /beds': {} } } }, 'GET /beds (wards) lies outside'],
    [
      'a route inside a narrower area of its service',
      { wards: { ...area, routes: { 'GET /wards/beds': {} } }, beds: { ...area, path: '/wards/beds', routes: {} } },
      'GET /wards/beds (wards) lies outside',
    ],
    ['more roles than the area grants', { wards: { ...area, routes: { 'POST /wards': { roles: ['NURSE'] } } } }, 'gives NURSE more than the area grants'],
    ['a route no role may call', { wards: { ...area, routes: { 'DELETE /wards/{id}': {} } } }, 'is open to no role'],
    ['a public route where the gateway checks', { wards: { ...area, routes: { 'GET /wards': 'public' } } }, 'is public in an area the gateway checks'],
    ['no roles where the area grants none', { wards: { service: 'auth', path: '', routes: { 'GET /wards': {} } } }, 'names no roles and its area grants none'],
    ['fields for a role that may not call', { wards: { ...area, routes: { 'GET /wards': { fields: { BILLING: ['name'] } } } } }, 'projects fields for BILLING'],
    [
      'a route named twice',
      { wards: { ...area, routes: { 'GET /wards': {} } }, more: { ...area, service: 'billing', routes: { 'GET /wards': {} } } },
      'GET /wards (more) is named twice',
    ],
  ])('%s', (_case, policy, message) => {
    expect(() => resolveAccessPolicy(policy)).toThrow(message);
  });

  it('accepts a sub-resource that refuses writes to a role that may read', () => {
    const rules = resolveAccessPolicy({
      wards: { ...area, routes: { 'GET /wards/{id}/beds': {}, 'POST /wards/{id}/beds': { roles: ['ADMIN'] } } },
    });
    expect(rules.get('GET /wards/{id}/beds')).toMatchObject({ roles: ['ADMIN', 'NURSE'] });
    expect(rules.get('POST /wards/{id}/beds')).toMatchObject({ roles: ['ADMIN'] });
  });
});

describe('policyCoverage', () => {
  it('reads the routes of an OpenAPI document, leaving out the operational ones', () => {
    const paths = { '/patients': { get: {}, post: {}, parameters: [] }, '/patients/{id}': { delete: {} }, '/health/live': { get: {} }, '/metrics': { get: {} } };
    expect(documentedRoutes(paths)).toEqual(['GET /patients', 'POST /patients', 'DELETE /patients/{id}']);
  });

  it('names routes without a policy and policies without a route', () => {
    const documented = accessRules()
      .filter((rule) => rule.service === 'billing')
      .map((rule) => rule.key);
    expect(policyCoverage('billing', documented)).toEqual({ withoutPolicy: [], undocumented: [] });
    expect(policyCoverage('billing', [...documented.slice(1), 'DELETE /billing/invoices/{id}', 'GET /patients'])).toEqual({
      withoutPolicy: ['DELETE /billing/invoices/{id}', 'GET /patients'],
      undocumented: [documented[0]],
    });
  });
});
