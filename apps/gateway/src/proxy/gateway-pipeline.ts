import { Injectable } from '@nestjs/common';
import { REQUEST_ID_HEADER, requestIdFrom, safeErrorSummary, httpRequestDuration } from '@pm/platform';
import { Router, type Express, type NextFunction, type Request, type Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { fhirRefusal, isFhirPath, isGatewayFhirRequest } from '../fhir/fhir-requests';
import { PROXIED_PREFIXES, isAmbiguousPath, matchRoute } from '../routes/route-table';
import { RateLimitMiddleware } from '../rate-limit/rate-limit.middleware';
import { RefusalAuditMiddleware } from '../refusal-audit/refusal-audit.middleware';
import { AccessTokenMiddleware } from './access-token.middleware';
import { BodyLimitMiddleware } from './body-limit.middleware';
import { forwardingHeaders } from './forwarding-headers';
import { gatewayContext, matchedRoute, startGatewayContext } from './gateway-context';
import { requireGrantedRole } from './role-check';
import { sendProblem } from './send-problem';
import { UpstreamProxy } from './upstream-proxy';

// nginx's convention for "the client went away before the answer": keeps aborted requests visible.
const CLIENT_CLOSED_REQUEST = 499;

/**
 * What every request under /auth, /api and /fhir passes through, in order: observe, route, refusal
 * audit (a 401 or 403 decided here on a patient route), body size, token, rate limit (per verified user, else per address: a refused token counts as anonymous),
 * access (401 or 403), forward. These run on the Express app before Nest's routes, so health and
 * metrics stay Nest's and unlimited.
 */
@Injectable()
export class GatewayPipeline {
  constructor(
    private readonly bodyLimit: BodyLimitMiddleware,
    private readonly refusalAudit: RefusalAuditMiddleware,
    private readonly accessTokens: AccessTokenMiddleware,
    private readonly rateLimit: RateLimitMiddleware,
    private readonly proxy: UpstreamProxy,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(GatewayPipeline.name);
  }

  mount(http: Express): void {
    const pipeline = Router();
    pipeline.use(
      this.letGatewayRoutesBy,
      this.observe,
      this.route,
      this.refusalAudit.handle,
      this.bodyLimit.handle,
      this.accessTokens.handle,
      this.rateLimit.handle,
      requireGrantedRole,
      this.forward,
      this.fail,
    );
    http.use(PROXIED_PREFIXES, pipeline);
  }

  /** The gateway's own FHIR route (the CapabilityStatement) leaves the pipeline for Nest's routes. */
  private readonly letGatewayRoutesBy = (req: Request, _res: Response, next: NextFunction): void => {
    next(isGatewayFhirRequest(req.method, req.originalUrl) ? 'router' : undefined);
  };

  /** Request id, the duration metric (labelled by route, not raw path) and one log line. */
  private readonly observe = (req: Request, res: Response, next: NextFunction): void => {
    // pino-http does not run for these requests (they never reach Nest), so the id is given here.
    const requestId = requestIdFrom(req);
    req.id = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const context = startGatewayContext(res, requestId);
    const path = req.originalUrl.split('?')[0];
    const stopTimer = httpRequestDuration.startTimer();
    const started = performance.now();
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const statusCode = res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST;
      const route = context.match?.label ?? 'unmatched';
      stopTimer({ method: req.method, route, status_code: String(statusCode) });
      // The path only: a query string can hold search terms (patient names). Not under `req`/`res`,
      // whose serializers expect Node's request and response objects.
      this.logger[statusCode >= 500 ? 'warn' : 'info'](
        {
          requestId,
          method: req.method,
          path,
          statusCode,
          route,
          service: context.match?.route.service,
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };

  private readonly route = (req: Request, res: Response, next: NextFunction): void => {
    if (isAmbiguousPath(req.originalUrl)) {
      sendProblem(res, 400, 'The path has dot segments or encoded separators');
      return;
    }
    // FHIR: an unknown resource type or URL shape is a 404 and an unserved method a 405, answered
    // before any token is looked at (the surface is public in the CapabilityStatement).
    const fhir = isFhirPath(req.originalUrl) ? fhirRefusal(req.method, req.originalUrl) : undefined;
    if (fhir) {
      sendProblem(res, fhir.status, fhir.detail, fhir.allow ? { Allow: fhir.allow } : {});
      return;
    }
    const match = matchRoute(req.originalUrl);
    if (!match) {
      sendProblem(res, 404, `No route for ${req.method} ${req.originalUrl.split('?')[0]}`);
      return;
    }
    gatewayContext(res).match = match;
    next();
  };

  private readonly forward = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { route } = matchedRoute(res);
    Object.assign(
      req.headers,
      forwardingHeaders({
        requestId: gatewayContext(res).requestId,
        forwardedPrefix: route.forwardedPrefix,
        clientAddress: req.ip ?? req.socket.remoteAddress,
        protocol: req.protocol,
        host: req.headers.host,
      }),
    );
    await this.proxy.forward(route.service, req, res, next);
  };

  /** Anything a step threw: a bare 500 problem, never Express's HTML error page. */
  private readonly fail = (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    this.logger.error({ requestId: req.id, error: safeErrorSummary(error) }, 'Gateway pipeline failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, 500, 'An unexpected error occurred');
  };
}
