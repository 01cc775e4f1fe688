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
      // The rest of the body is not read: the connection cannot be reused.
      sendProblem(res, 413, `The request body is larger than ${this.config.MAX_BODY_BYTES} bytes`, { Connection: 'close' });
      return;
    }
    // Node already answered "100 Continue"; the service must not be asked again (and the proxy
    // skips its per-request hooks, the body counter among them, for requests that expect it).
    delete req.headers.expect;
    next();
  };
}
