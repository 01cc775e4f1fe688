import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { gatewayContext } from '../proxy/gateway-context';
import { sendProblem } from '../proxy/send-problem';
import { GatewayRateLimiter } from './gateway-rate-limiter';
import { rateLimitSubject } from './rate-limit-policy';

/** Pipeline step after the token check: counts the request against its user or address. */
@Injectable()
export class RateLimitMiddleware {
  constructor(private readonly limiter: GatewayRateLimiter) {}

  readonly handle = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const context = gatewayContext(res);
    const verdict = await this.limiter.check(rateLimitSubject(context.accessToken, req.ip ?? req.socket.remoteAddress), context.requestId);
    res.set(verdict.headers);
    if (!verdict.allowed) {
      sendProblem(res, 429, verdict.detail);
      return;
    }
    next();
  };
}
