import type { AccessTokenClaims } from '@pm/auth-tokens';
import type { Response } from 'express';
import type { RouteMatch } from '../routes/route-table';

/** What the pipeline learns about a proxied request, kept in `res.locals` for the later steps. */
export interface GatewayContext {
  requestId: string;
  match?: RouteMatch;
  /** Set once the token step has verified the bearer (role checks read it). */
  accessToken?: AccessTokenClaims;
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
