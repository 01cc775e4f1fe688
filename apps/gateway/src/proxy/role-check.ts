import type { NextFunction, Request, Response } from 'express';
import { isGranted } from '../routes/route-table';
import { gatewayContext, matchedRoute } from './gateway-context';
import { sendProblem } from './send-problem';

/**
 * Pipeline step after the token check: the token's role must be granted the request's method on
 * the route (the contract's "Who may do what"). The services check again.
 */
export function requireGrantedRole(req: Request, res: Response, next: NextFunction): void {
  const { route, label } = matchedRoute(res);
  if (route.access === 'public') return next();
  const claims = gatewayContext(res).accessToken;
  if (!claims) throw new Error('The role check ran on a protected route without verified claims');
  if (!isGranted(route, req.method, claims.role)) {
    sendProblem(res, 403, `The ${claims.role} role may not ${req.method.toUpperCase()} ${label}`);
    return;
  }
  next();
}
