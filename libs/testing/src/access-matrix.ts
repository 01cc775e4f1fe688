/** Who may call a route, as the contract's "Who may do what" table says. */
export interface RouteAccess {
  /** e.g. 'GET /patients/:id' */
  route: string;
  allowed: readonly string[];
  /** What an allowed caller gets (200, 201, 204). */
  success: number;
}

export const TEST_ROLES = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST'] as const;
export type TestCaller = (typeof TEST_ROLES)[number] | 'no token';

/**
 * Every route × every role, plus no token, with the status the caller must get: the route's
 * success for an allowed role, 403 for any other role, 401 without a token.
 */
export function accessMatrix<R extends RouteAccess>(routes: readonly R[]): [string, TestCaller, number, R][] {
  return routes.flatMap((route) => [
    ...TEST_ROLES.map((role): [string, TestCaller, number, R] => [route.route, role, route.allowed.includes(role) ? route.success : 403, route]),
    [route.route, 'no token', 401, route] as [string, TestCaller, number, R],
  ]);
}

/**
 * One test per route × caller of accessMatrix(routes): `send` calls the route with the caller's
 * Authorization header (null: no token), and the answer must carry the expected status, a refusal
 * as problem+json. `issuer` is asked inside each test, once the harness has started it.
 */
export function itAnswersEveryCaller<R extends RouteAccess>(
  routes: readonly R[],
  issuer: () => { bearer(role: string): Promise<string> },
  send: (route: R, authorization: string | null) => Promise<Response>,
): void {
  it.each(accessMatrix(routes))('%s as %s → %i', async (_route, caller, status, route) => {
    const response = await send(route, caller === 'no token' ? null : await issuer().bearer(caller));
    expect(response.status).toBe(status);
    if (status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
    await response.body?.cancel(); // a granted stream stays open otherwise
  });
}
