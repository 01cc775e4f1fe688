import { Injectable } from '@nestjs/common';
import { requestIdFrom } from '@pm/platform';
import type { NextFunction, Request, Response } from 'express';
import { gatewayContext } from '../proxy/gateway-context';
import { sendProblem } from '../proxy/send-problem';
import { GatewayRateLimiter } from './gateway-rate-limiter';
import { rateLimitSubject } from './rate-limit-policy';

/**
 * Counts a request against its user (a verified token) or else its client address, and answers
 * 429 past the limit. A request whose token was refused counts against its address like any
 * anonymous one.
 */
@Injectable()
export class RateLimitMiddleware {
  constructor(private readonly limiter: GatewayRateLimiter) {}

  /** Pipeline step after the token check. */
  readonly handle = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const context = gatewayContext(res);
    await this.count(rateLimitSubject(context.accessToken, clientAddress(req)), context.requestId, res, next);
  };

  /** For the gateway's own public pages (/docs, /api-docs/*), which no token opens. */
  readonly handleAnonymous = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    await this.count(rateLimitSubject(undefined, clientAddress(req)), requestIdFrom(req), res, next);
  };

  private async count(subject: ReturnType<typeof rateLimitSubject>, requestId: string, res: Response, next: NextFunction): Promise<void> {
    const verdict = await this.limiter.check(subject, requestId);
    res.set(verdict.headers);
    if (!verdict.allowed) {
      sendProblem(res, 429, verdict.detail);
      return;
    }
    next();
  }
}

/** The client as `trust proxy` (TRUSTED_PROXIES) determines it. */
function clientAddress(req: Request): string | undefined {
  return req.ip ?? req.socket.remoteAddress;
}
