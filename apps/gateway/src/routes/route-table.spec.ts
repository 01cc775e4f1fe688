import { ACCESS_POLICY, ALL_ROLES, areaCovering, type Role } from '@pm/auth-tokens';
import { FHIR_BASE, FHIR_SURFACE } from '@pm/fhir';
import { FHIR_ROUTES, HTTP_METHODS, ROUTE_TABLE, isAmbiguousPath, isGranted, matchRoute, type ProtectedRoute } from './route-table';

describe('gateway route table', () => {
  it.each([
    // [gateway URL, service, path the service receives, metric label, access]
    ['/auth/login', 'auth', '/login', '/auth/*', 'public'],
    ['/auth/validate', 'auth', '/validate', '/auth/*', 'public'],
    ['/auth/refresh', 'auth', '/refresh', '/auth/*', 'public'],
    ['/auth/logout', 'auth', '/logout', '/auth/*', 'public'],
    ['/auth/me', 'auth', '/me', '/auth/*', 'public'],
    ['/auth/users/42', 'auth', '/users/42', '/auth/users/*', 'authenticated'],
    ['/auth/users', 'auth', '/users', '/auth/users', 'authenticated'],
    ['/auth/USERS', 'auth', '/users', '/auth/users', 'authenticated'],
    ['/auth/usersx', 'auth', '/usersx', '/auth/*', 'public'],
    ['/auth/throttles', 'auth', '/throttles', '/auth/throttles', 'authenticated'],
    ['/auth/throttles/address:198.51.100.7', 'auth', '/throttles/address:198.51.100.7', '/auth/throttles/*', 'authenticated'],
    ['/auth/Throttles', 'auth', '/throttles', '/auth/throttles', 'authenticated'],
    ['/auth/.well-known/jwks.json', 'auth', '/.well-known/jwks.json', '/auth/*', 'public'],
    ['/auth', 'auth', '/', '/auth', 'public'],
    ['/api/patients', 'patient', '/patients', '/api/patients', 'authenticated'],
    ['/api/patients?page=1&size=10&sort=asc&sortField=name&searchValue=jo', 'patient', '/patients?page=1&size=10&sort=asc&sortField=name&searchValue=jo', '/api/patients', 'authenticated'],
    ['/api/patients/123e4567-e89b-12d3-a456-426614174000', 'patient', '/patients/123e4567-e89b-12d3-a456-426614174000', '/api/patients/*', 'authenticated'],
    ['/api/billing/accounts/abc', 'billing', '/billing/accounts/abc', '/api/billing/*', 'authenticated'],
    ['/api/analytics/patients/summary', 'analytics', '/analytics/patients/summary', '/api/analytics/*', 'authenticated'],
    ['/api/appointments', 'appointment', '/appointments', '/api/appointments', 'authenticated'],
    ['/api/appointments/7?include=patient', 'appointment', '/appointments/7?include=patient', '/api/appointments/*', 'authenticated'],
    ['/API/Patients/abc', 'patient', '/patients/abc', '/api/patients/*', 'authenticated'],
    ['/fhir/R4/Appointment?patient=Patient/p1&date=ge2027-01-01', 'appointment', '/fhir/R4/Appointment?patient=Patient/p1&date=ge2027-01-01', '/fhir/R4/Appointment', 'authenticated'],
    ['/fhir/R4/Appointment/a1', 'appointment', '/fhir/R4/Appointment/a1', '/fhir/R4/Appointment/*', 'authenticated'],
    ['/fhir/r4/APPOINTMENT/a1', 'appointment', '/fhir/R4/Appointment/a1', '/fhir/R4/Appointment/*', 'authenticated'],
    ['/fhir/R4/Patient/p1/$everything', 'patient', '/fhir/R4/Patient/p1/$everything', '/fhir/R4/Patient/*', 'authenticated'],
    ['/fhir/R4/Observation?patient=p1&category=vital-signs', 'patient', '/fhir/R4/Observation?patient=p1&category=vital-signs', '/fhir/R4/Observation', 'authenticated'],
  ])('routes %s to %s as %s', (url, service, upstreamPath, label, access) => {
    const match = matchRoute(url);
    expect(match).toMatchObject({ route: { service, access }, upstreamPath, label });
  });

  it.each(['/api', '/api/', '/api/unknown', '/api/patientsx', '/api/patient', '/authx/login', '/health/system', '/api-docs/patients', '/', '/fhir/R4/Encounter', '/fhir/R4/AppointmentX', '/fhir/R4/metadata', '/fhir/R4'])(
    'routes %s nowhere',
    (url) => {
      expect(matchRoute(url)).toBeUndefined();
    },
  );

  it('sends every /api route through the token check and tells services their prefix', () => {
    for (const route of ROUTE_TABLE.filter((r) => r.prefix.startsWith('/api/'))) {
      expect(route.access).toBe('authenticated');
      expect(route.forwardedPrefix).toBe('/api');
      expect(route.upstreamPrefix).toBe(route.prefix.slice('/api'.length));
    }
  });

  it.each(['/api/patients/../billing/x', '/api/patients/./x', '/auth//users', '/api/patients//x', '/api/patients/%2e%2e/billing', '/api/patients/..%2Fbilling', '/api/patients/a%5Cb', '/api/patients/%E0%A4%A'])(
    'calls %s ambiguous',
    (url) => {
      expect(isAmbiguousPath(url)).toBe(true);
    },
  );

  it.each(['/api/patients', '/api/patients/', '/api/patients/123?searchValue=..', '/auth/.well-known/jwks.json', '/api/patients/J%C3%BCrgen'])(
    'calls %s plain',
    (url) => {
      expect(isAmbiguousPath(url)).toBe(false);
    },
  );

  it("forwards into every REST area of the access policy, each from one prefix, with the area's grants", () => {
    const isFhirArea = (path: string) => path.startsWith(`${FHIR_BASE}/`) || path === FHIR_BASE;
    const areas = Object.values(ACCESS_POLICY).filter((area) => !isFhirArea(area.path)).map((area) => `${area.service} ${area.path}`);
    const restRoutes = ROUTE_TABLE.filter((route) => !route.fhirType);
    const forwarded = restRoutes.map((route) => `${route.service} ${route.upstreamPrefix}`);
    expect([...forwarded].sort()).toEqual([...areas].sort());
    for (const route of restRoutes) {
      const area = Object.values(ACCESS_POLICY).find((a) => a.service === route.service && a.path === route.upstreamPrefix)!;
      expect(route.access === 'authenticated' ? route.grants : undefined).toBe('grants' in area ? area.grants : undefined);
    }
  });

  it('routes each FHIR resource type of the surface, unchanged, to its service, with the grants of the area covering its path', () => {
    expect(FHIR_ROUTES.map((route) => [route.fhirType, route.service, route.prefix, route.upstreamPrefix, route.forwardedPrefix])).toEqual(
      FHIR_SURFACE.map((resource) => [resource.type, resource.service, `${FHIR_BASE}/${resource.type}`, `${FHIR_BASE}/${resource.type}`, '']),
    );
    for (const route of FHIR_ROUTES) {
      expect(route.access).toBe('authenticated');
      // A type whose service has no FHIR area in the policy yet is refused to every role.
      expect((route as ProtectedRoute).grants).toEqual(areaCovering(route.service as 'patient' | 'appointment', route.prefix)?.grants ?? {});
    }
  });

  describe("roles (the contract's \"Who may do what\" table)", () => {
    // Written from the contract, independently of ROUTE_TABLE: the methods each role may use.
    const READ = ['GET', 'HEAD'];
    const READ_CREATE_UPDATE = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'];
    const ALL = [...HTTP_METHODS];
    const NONE: string[] = [];
    const expected: Record<string, Record<Role, string[]>> = {
      // DOCTOR's DELETE passes the gateway for lifting a restriction; the patient service refuses
      // it on every other route (DELETE /patients/{id} is ADMIN's: the policy narrows it).
      '/api/patients/p1': { ADMIN: ALL, DOCTOR: [...READ_CREATE_UPDATE, 'DELETE'], NURSE: READ_CREATE_UPDATE, BILLING: READ, ANALYST: NONE },
      '/api/appointments': { ADMIN: ALL, DOCTOR: ALL, NURSE: READ_CREATE_UPDATE, BILLING: NONE, ANALYST: NONE },
      '/api/billing/accounts/p1': { ADMIN: ALL, DOCTOR: NONE, NURSE: NONE, BILLING: ALL, ANALYST: NONE },
      '/api/analytics/patients/summary': { ADMIN: READ, DOCTOR: NONE, NURSE: NONE, BILLING: NONE, ANALYST: READ },
      '/auth/users/u1': { ADMIN: ALL, DOCTOR: NONE, NURSE: NONE, BILLING: NONE, ANALYST: NONE },
      '/auth/throttles/pair:u1:198.51.100.7': { ADMIN: [...READ, 'DELETE'], DOCTOR: NONE, NURSE: NONE, BILLING: NONE, ANALYST: NONE },
      '/api/audit?patientId=p1': { ADMIN: READ, DOCTOR: NONE, NURSE: NONE, BILLING: NONE, ANALYST: NONE },
      // FHIR Appointment: read and search for whoever reads the REST appointments; nothing written.
      '/fhir/R4/Appointment/a1': { ADMIN: READ, DOCTOR: READ, NURSE: READ, BILLING: NONE, ANALYST: NONE },
      // The patient service's FHIR types: read, search and create for the clinical readers (each
      // route narrows who writes what there); BILLING and ANALYST have no FHIR at all.
      ...Object.fromEntries(
        ['Patient', 'AllergyIntolerance', 'Condition', 'MedicationStatement', 'Observation'].map((type) => [
          `/fhir/R4/${type}/x1`,
          { ADMIN: [...READ, 'POST'], DOCTOR: [...READ, 'POST'], NURSE: [...READ, 'POST'], BILLING: NONE, ANALYST: NONE },
        ]),
      ),
    };
    const cases = Object.entries(expected).flatMap(([url, byRole]) =>
      ALL_ROLES.flatMap((role) => [...HTTP_METHODS, 'TRACE'].map((method) => [url, role, method, byRole[role].includes(method)] as const)),
    );

    it.each(cases)('%s: %s %s allowed = %s', (url, role, method, allowed) => {
      const { route } = matchRoute(url)!;
      expect(route.access).toBe('authenticated');
      expect(isGranted(route as ProtectedRoute, method, role)).toBe(allowed);
    });

    it('covers every protected route of the table', () => {
      const tested = new Set(Object.keys(expected).map((url) => matchRoute(url)!.route.prefix));
      const routes = ROUTE_TABLE.filter((r) => r.access === 'authenticated');
      expect(routes.map((r) => r.prefix).sort()).toEqual([...tested].sort());
    });

    it('reads the method regardless of case', () => {
      const { route } = matchRoute('/api/patients')!;
      expect(isGranted(route as ProtectedRoute, 'get', 'BILLING')).toBe(true);
      expect(isGranted(route as ProtectedRoute, 'delete', 'NURSE')).toBe(false);
    });

    it('leaves the other /auth routes public (auth decides)', () => {
      for (const url of ['/auth/login', '/auth/refresh', '/auth/logout', '/auth/me', '/auth/validate']) {
        expect(matchRoute(url)!.route.access).toBe('public');
      }
    });
  });
});
