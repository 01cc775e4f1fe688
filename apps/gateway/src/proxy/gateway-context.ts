import type { AccessTokenClaims } from '@pm/auth-tokens';
import type { Response } from 'express';
import type { RouteMatch } from '../routes/route-table';

/** What the pipeline learns about a proxied request, kept in `res.locals` for the later steps. */
export interface GatewayContext {
  requestId: string;
  match?: RouteMatch;
  /** Set once the token step has verified the bearer (role checks read it). */
  accessToken?: AccessTokenClaims;
  /**
   * Why the token step refused the bearer (missing, invalid, revoked): the 401 is answered after
   * the request was counted against its address, so refused requests are rate limited too.
   */
  unauthenticated?: { detail: string; headers: Record<string, string> };
  /** The status when the gateway itself refused the request (401 or 403), for the audit of refusals. */
  refusedWith?: 401 | 403;
}

const KEY = 'gateway';

export function startGatewayContext(res: Response, requestId: string): GatewayContext {
  const context: GatewayContext = { requestId };
  res.locals[KEY] = context;
  return context;
}

export function gatewayContext(res: Response): GatewayContext {
  const context = res.locals[KEY] as GatewayContext | undefined;
  if (!context) throw new Error('The gateway pipeline did not start a context for this request');
  return context;
}

/** The matched route; only the steps after routing call this. */
export function matchedRoute(res: Response): RouteMatch {
  const { match } = gatewayContext(res);
  if (!match) throw new Error('The gateway pipeline reached a proxy step without a matched route');
  return match;
}
