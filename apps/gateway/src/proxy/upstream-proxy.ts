import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { NextFunction, Request, Response } from 'express';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import { PinoLogger } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { GatewayConfig } from '../config/gateway.config';
import { UPSTREAM_SERVICES, UPSTREAM_URLS, type UpstreamService, type UpstreamUrls } from '../routes/upstream-services';
import { BodyTooLargeError, watchBodySize } from './body-limit';
import { gatewayContext, matchedRoute } from './gateway-context';
import { sendProblem } from './send-problem';
import { upstreamFailure } from './upstream-failure';

/**
 * One streaming reverse proxy per service: bodies pass through unread, and the service's status,
 * headers (Location, ETag...) and body come back unchanged. A service that refuses the connection
 * gets 503, one that stays silent for UPSTREAM_TIMEOUT_MS (auth: AUTH_UPSTREAM_TIMEOUT_MS, as it
 * deliberately slows logins under attack) gets 504, both as problem+json. A body
 * that streams past MAX_BODY_BYTES is cut off (the service never gets a complete request) and
 * answered 413.
 */
@Injectable()
export class UpstreamProxy {
  private readonly proxies: Record<UpstreamService, RequestHandler<Request, Response>>;
  // Requests whose upstream went silent: their socket error is then a timeout, not a reset.
  private readonly timedOut = new WeakSet<IncomingMessage>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(UPSTREAM_URLS) urls: UpstreamUrls,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(UpstreamProxy.name);
    this.proxies = Object.fromEntries(
      UPSTREAM_SERVICES.map((service) => [service, this.createProxy(service, urls[service])]),
    ) as Record<UpstreamService, RequestHandler<Request, Response>>;
  }

  forward(service: UpstreamService, req: Request, res: Response, next: NextFunction): Promise<void> {
    return this.proxies[service](req, res, next);
  }

  private createProxy(service: UpstreamService, target: string): RequestHandler<Request, Response> {
    return createProxyMiddleware<Request, Response>({
      target,
      changeOrigin: true,
      // The pipeline sets the X-Forwarded-* headers itself (httpxy's xfwd would not append to X-Forwarded-For).
      xfwd: false,
      proxyTimeout: this.timeoutFor(service),
      pathRewrite: (_path, _req, res) => (res ? matchedRoute(res).upstreamPath : undefined),
      on: {
        proxyReq: (proxyReq, req) => {
          proxyReq.once('timeout', () => this.timedOut.add(req));
          watchBodySize(req, this.config.MAX_BODY_BYTES, () => {
            req.unpipe(proxyReq);
            req.pause();
            proxyReq.destroy(new BodyTooLargeError(this.config.MAX_BODY_BYTES));
          });
        },
        error: (error, req, res) => this.answerFailure(service, error, req, res),
      },
    });
  }

  private timeoutFor(service: UpstreamService): number {
    return service === 'auth' ? this.config.AUTH_UPSTREAM_TIMEOUT_MS : this.config.UPSTREAM_TIMEOUT_MS;
  }

  private answerFailure(service: UpstreamService, error: Error, req: Request, res: Response | Socket): void {
    if (!('writeHead' in res)) {
      res.destroy();
      return;
    }
    if (error instanceof BodyTooLargeError) {
      if (res.headersSent) res.destroy();
      // The rest of the body stays unread: the connection cannot be reused.
      else sendProblem(res, 413, error.message, { Connection: 'close' });
      return;
    }
    const failure = upstreamFailure(service, error, this.timedOut.has(req) ? this.timeoutFor(service) : undefined);
    this.logger.warn(
      { requestId: gatewayContext(res).requestId, service, code: (error as NodeJS.ErrnoException).code, status: failure.status },
      'Upstream request failed',
    );
    // The service already started answering: all the client can learn is that the answer broke off.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, failure.status, failure.detail);
  }
}
