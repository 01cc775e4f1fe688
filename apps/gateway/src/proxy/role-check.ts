import type { NextFunction, Request, Response } from 'express';
import { isGranted } from '../routes/route-table';
import { gatewayContext, matchedRoute } from './gateway-context';
import { sendProblem } from './send-problem';

/**
 * Pipeline step after the rate limit: a protected route needs the verified token the token step
 * found (else 401), and the token's role must be granted the request's method on the route (the
 * contract's "Who may do what"; else 403). The services check again.
 */
export function requireGrantedRole(req: Request, res: Response, next: NextFunction): void {
  const { route, label } = matchedRoute(res);
  if (route.access === 'public') return next();
  const context = gatewayContext(res);
  if (context.unauthenticated) {
    context.refusedWith = 401;
    sendProblem(res, 401, context.unauthenticated.detail, context.unauthenticated.headers);
    return;
  }
  const claims = context.accessToken;
  if (!claims) throw new Error('The role check ran on a protected route without verified claims');
  if (!isGranted(route, req.method, claims.role)) {
    context.refusedWith = 403;
    sendProblem(res, 403, `The ${claims.role} role may not ${req.method.toUpperCase()} ${label}`);
    return;
  }
  next();
}
