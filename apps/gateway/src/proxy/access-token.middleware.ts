import { Injectable } from '@nestjs/common';
import {
  AccessTokenVerifier,
  InvalidAccessTokenError,
  TokenKeysUnavailableError,
  TokenVerificationUnavailableError,
  bearerToken,
} from '@pm/auth-tokens';
import type { NextFunction, Request, Response } from 'express';
import { gatewayContext, matchedRoute } from './gateway-context';
import { sendProblem } from './send-problem';

/**
 * The gateway's one token check: routes that are not public need a valid access token, verified
 * locally against auth's published keys (no call to auth per request) by the same passport-jwt
 * strategy every service's guard runs (AccessTokenVerifier). The verified claims are kept for
 * the role checks that follow; a missing or invalid token is noted for the 401 the access step
 * answers once the rate limit has counted the request against its address.
 */
@Injectable()
export class AccessTokenMiddleware {
  constructor(private readonly verifier: AccessTokenVerifier) {}

  readonly handle = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (matchedRoute(res).route.access === 'public') return next();
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      gatewayContext(res).unauthenticated = { detail: 'A bearer access token is required', headers: { 'WWW-Authenticate': 'Bearer' } };
      return next();
    }
    try {
      gatewayContext(res).accessToken = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenVerificationUnavailableError) {
        // Name the real cause: auth's keys (never fetched) or the revocation list's Redis.
        const cause = error instanceof TokenKeysUnavailableError ? "auth's signing keys cannot be fetched" : 'the revocation list (Redis) is unavailable';
        sendProblem(res, 503, `Access tokens cannot be verified right now: ${cause}`, { 'Retry-After': '5' });
        return;
      }
      if (!(error instanceof InvalidAccessTokenError)) throw error;
      gatewayContext(res).unauthenticated = {
        detail: 'The access token is invalid or has expired',
        headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
      };
    }
    next();
  };
}
