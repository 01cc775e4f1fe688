import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '../config/gateway.config';
import { declaredLengthExceeds } from './body-limit';
import { sendProblem } from './send-problem';

/**
 * Pipeline step before anything else reads the request: a body declared larger than MAX_BODY_BYTES
 * is refused unread. Bodies without a length are counted while they stream (UpstreamProxy).
 */
@Injectable()
export class BodyLimitMiddleware {
  constructor(@Inject(APP_CONFIG) private readonly config: GatewayConfig) {}

  readonly handle = (req: Request, res: Response, next: NextFunction): void => {
    if (declaredLengthExceeds(req.headers['content-length'], this.config.MAX_BODY_BYTES)) {
      this.refuseOversized(req, res);
      return;
    }
    // Node already answered "100 Continue"; the service must not be asked again (and the proxy
    // skips its per-request hooks, the body counter among them, for requests that expect it).
    delete req.headers.expect;
    next();
  };

  /**
   * 413, and the connection closed after it (it cannot be reused). The body is read and thrown
   * away first, for up to LINGER_MS: closing on a client that is still sending fails its pending
   * write (EPIPE, a reset) before it can read the answer. A client that sends slower than that
   * gets the 413 when the time is up.
   */
  private refuseOversized(req: Request, res: Response): void {
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      sendProblem(res, 413, `The request body is larger than ${this.config.MAX_BODY_BYTES} bytes`, { Connection: 'close' });
    };
    const timer = setTimeout(answer, LINGER_MS);
    req.once('end', answer).once('error', answer).resume();
  }
}

/** How long an oversized body is read (and discarded) before the 413 goes anyway. */
export const LINGER_MS = 1000;
