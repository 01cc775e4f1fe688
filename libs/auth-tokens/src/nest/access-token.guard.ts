import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '@pm/platform';
import type { Request, Response } from 'express';
import { InvalidAccessTokenError, TokenKeysUnavailableError, TokenVerificationUnavailableError } from '../access-token.errors';
import { OPERATIONAL_PATHS } from '../access-policy';
import type { AccessTokenClaims } from '../access-token-policy';
import { AccessTokenVerifier, bearerToken } from '../access-token-verifier';
import type { Role } from '../roles';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from './access-control.decorators';


/** What a refused request tells the service, for auditing (the patient service records it). */
export interface AccessDenial {
  status: 401 | 403;
  claims?: AccessTokenClaims;
  request: Request;
}

export const ACCESS_DENIAL_LISTENER = Symbol('ACCESS_DENIAL_LISTENER');
/** May return a promise: the refusal answers once it settles (the patient service makes its audit entry durable first). */
export type AccessDenialListener = (denial: AccessDenial) => void | Promise<void>;

/**
 * Every route of a service needs a valid, unrevoked access token unless marked @Public(), and the
 * caller's role must be one the route allows (@Roles). The token goes through the same passport-jwt
 * strategy (AccessTokenVerifier) as at the gateway, so a request that reaches a service directly
 * is refused the same way.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  private readonly logger = new Logger(AccessTokenGuard.name);
  private readonly listeners: AccessDenialListener[] = [];

  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  onDenied(listener: AccessDenialListener): void {
    this.listeners.push(listener);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AccessTokenClaims }>();
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (OPERATIONAL_PATHS.test(request.path)) return true;

    const response = context.switchToHttp().getResponse<Response>();
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      response.setHeader('WWW-Authenticate', 'Bearer');
      return this.deny({ status: 401, request }, 'A bearer access token is required');
    }
    let claims: AccessTokenClaims;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenVerificationUnavailableError) {
        this.logger.warn({ reason: error.message }, 'Access token could not be verified');
        const cause = error instanceof TokenKeysUnavailableError ? "auth's signing keys cannot be fetched" : 'the revocation list (Redis) is unavailable';
        throw ProblemException.serviceUnavailable(`Access tokens cannot be verified right now: ${cause}`);
      }
      if (error instanceof InvalidAccessTokenError) {
        response.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
        return this.deny({ status: 401, request }, 'The access token is invalid or has expired');
      }
      throw error;
    }
    request.user = claims;

    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (allowed && !allowed.includes(claims.role)) {
      return this.deny({ status: 403, claims, request }, `The ${claims.role} role may not do this`);
    }
    return true;
  }

  private async deny(denial: AccessDenial, detail: string): Promise<never> {
    // A listener's failure never turns a refusal into anything else.
    await Promise.allSettled(this.listeners.map(async (listener) => listener(denial)));
    throw new ProblemException(denial.status, detail);
  }
}
