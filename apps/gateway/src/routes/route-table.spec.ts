import { ROUTE_TABLE, isAmbiguousPath, matchRoute } from './route-table';

describe('gateway route table', () => {
  it.each([
    // [gateway URL, service, path the service receives, metric label, access]
    ['/auth/login', 'auth', '/login', '/auth/*', 'public'],
    ['/auth/validate', 'auth', '/validate', '/auth/*', 'public'],
    ['/auth/refresh', 'auth', '/refresh', '/auth/*', 'public'],
    ['/auth/logout', 'auth', '/logout', '/auth/*', 'public'],
    ['/auth/me', 'auth', '/me', '/auth/*', 'public'],
    ['/auth/users/42', 'auth', '/users/42', '/auth/*', 'public'],
    ['/auth/.well-known/jwks.json', 'auth', '/.well-known/jwks.json', '/auth/*', 'public'],
    ['/auth', 'auth', '/', '/auth', 'public'],
    ['/api/patients', 'patient', '/patients', '/api/patients', 'authenticated'],
    ['/api/patients?page=1&size=10&sort=asc&sortField=name&searchValue=jo', 'patient', '/patients?page=1&size=10&sort=asc&sortField=name&searchValue=jo', '/api/patients', 'authenticated'],
    ['/api/patients/123e4567-e89b-12d3-a456-426614174000', 'patient', '/patients/123e4567-e89b-12d3-a456-426614174000', '/api/patients/*', 'authenticated'],
    ['/api/billing/accounts/abc', 'billing', '/billing/accounts/abc', '/api/billing/*', 'authenticated'],
    ['/api/analytics/patients/summary', 'analytics', '/analytics/patients/summary', '/api/analytics/*', 'authenticated'],
    ['/api/appointments', 'appointment', '/appointments', '/api/appointments', 'authenticated'],
    ['/api/appointments/7?include=patient', 'appointment', '/appointments/7?include=patient', '/api/appointments/*', 'authenticated'],
  ])('routes %s to %s as %s', (url, service, upstreamPath, label, access) => {
    const match = matchRoute(url);
    expect(match).toMatchObject({ route: { service, access }, upstreamPath, label });
  });

  it.each(['/api', '/api/', '/api/unknown', '/api/patientsx', '/api/patient', '/authx/login', '/health/system', '/api-docs/patients', '/'])(
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

  it.each(['/api/patients/../billing/x', '/api/patients/./x', '/api/patients/%2e%2e/billing', '/api/patients/..%2Fbilling', '/api/patients/a%5Cb', '/api/patients/%E0%A4%A'])(
    'calls %s ambiguous',
    (url) => {
      expect(isAmbiguousPath(url)).toBe(true);
    },
  );

  it.each(['/api/patients', '/api/patients/123?searchValue=..', '/auth/.well-known/jwks.json', '/api/patients/J%C3%BCrgen'])(
    'calls %s plain',
    (url) => {
      expect(isAmbiguousPath(url)).toBe(false);
    },
  );
});
