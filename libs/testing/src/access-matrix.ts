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
