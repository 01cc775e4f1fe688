import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendProblem } from '../proxy/send-problem';

export const CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
// X-Access-Reason breaks the glass on a restricted medical record (the gateway forwards it as it is).
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Request-Id', 'X-Access-Reason'];
/** Response headers a browser script may read (beyond the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS = [
  'Location',
  'ETag',
  'X-Request-Id',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'RateLimit-Policy',
  'WWW-Authenticate',
];
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

export interface CorsRequest {
  method: string;
  origin?: string;
  /** Access-Control-Request-Method: present only on a preflight. */
  requestedMethod?: string;
}

export type CorsDecision =
  /** No Origin header: not a browser's cross-origin request; nothing to add. */
  | { kind: 'none' }
  | { kind: 'preflight-allowed'; headers: Record<string, string> }
  | { kind: 'preflight-refused'; reason: string }
  /** A cross-origin request from an allowed origin: answer it with these headers. */
  | { kind: 'allowed'; headers: Record<string, string> }
  /** From an origin not on the list: answered without CORS headers, so the browser withholds it. */
  | { kind: 'not-allowed' };

/**
 * The CORS answer for a request, from an exact-match allow-list. No credentials mode: the API
 * takes bearer tokens, never cookies.
 */
export function corsDecision(request: CorsRequest, allowedOrigins: readonly string[]): CorsDecision {
  const { origin } = request;
  const preflight = request.method.toUpperCase() === 'OPTIONS' && request.requestedMethod !== undefined;
  if (origin === undefined) return { kind: 'none' };
  const allowed = allowedOrigins.includes(origin);
  if (!preflight) {
    return allowed
      ? { kind: 'allowed', headers: { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '), Vary: 'Origin' } }
      : { kind: 'not-allowed' };
  }
  if (!allowed) return { kind: 'preflight-refused', reason: `The origin ${origin} may not call this API` };
  const method = request.requestedMethod!.toUpperCase();
  if (!CORS_ALLOWED_METHODS.includes(method)) return { kind: 'preflight-refused', reason: `The method ${method} is not allowed cross-origin` };
  return {
    kind: 'preflight-allowed',
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(', '),
      'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
      'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
      Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    },
  };
}

/** Answers preflights itself (never proxied) and adds CORS headers for allowed origins. */
export function corsMiddleware(allowedOrigins: readonly string[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const decision = corsDecision(
      { method: req.method, origin: req.headers.origin, requestedMethod: req.headers['access-control-request-method'] },
      allowedOrigins,
    );
    switch (decision.kind) {
      case 'preflight-allowed':
        res.status(204).set(decision.headers).end();
        return;
      case 'preflight-refused':
        sendProblem(res, 403, decision.reason);
        return;
      case 'allowed':
        res.set(decision.headers);
        next();
        return;
      default:
        // Shared caches must not hand one origin's answer to another.
        if (allowedOrigins.length > 0) res.vary('Origin');
        next();
    }
  };
}
