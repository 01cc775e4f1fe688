import { buildOpenApiDocument, type ServiceOptions, APP_CONFIG } from '@pm/platform';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { setupDocsUi } from './api-docs/docs-ui';
import type { GatewayConfig } from './config/gateway.config';
import { corsMiddleware } from './edge/cors';
import { RateLimitMiddleware } from './rate-limit/rate-limit.middleware';
import { DOCS_PATH, securityHeaders } from './edge/security-headers';
import { isGatewayFhirRequest } from './fhir/fhir-requests';
import { GatewayPipeline } from './proxy/gateway-pipeline';

export const GATEWAY_OPENAPI: ServiceOptions['openApi'] = {
  title: 'API gateway',
  description: "The REST edge: routes /auth and /api to the services and /fhir/R4 by resource type, aggregates health and the services' API documents",
  bearerAuth: false,
};

/**
 * Puts handlers in front of every route already registered on the Express app (bootstrapService
 * registers /api-docs before this runs), so no response leaves without them.
 */
function useFirst(http: Express, ...handlers: RequestHandler[]): void {
  http.use(...handlers);
  const stack = http.router.stack;
  stack.unshift(...stack.splice(stack.length - handlers.length, handlers.length));
}

/** The gateway's own pages anyone may fetch (the FHIR CapabilityStatement too), counted per address like every anonymous request. */
function isPublicPage(req: Request): boolean {
  const path = req.path;
  return path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`) || path === '/api-docs' || path.startsWith('/api-docs/') || isGatewayFhirRequest(req.method, path);
}

/**
 * Runs on the Express app before Nest's routes: security headers and CORS first (preflights are
 * answered here, never proxied) and the rate limit of the public pages, the gateway's own document,
 * the Swagger UI, the proxy pipeline.
 */
export function configureGateway(app: NestExpressApplication): void {
  const http = app.getHttpAdapter().getInstance() as Express;
  const config = app.get<GatewayConfig>(APP_CONFIG);
  const limitPublicPages = app.get(RateLimitMiddleware).handleAnonymous;
  useFirst(http, securityHeaders(), corsMiddleware(config.CORS_ALLOWED_ORIGINS), (req: Request, res: Response, next: NextFunction) =>
    isPublicPage(req) ? limitPublicPages(req, res, next).catch(next) : next(),
  );
  const ownDocument = buildOpenApiDocument(app, GATEWAY_OPENAPI);
  http.get('/api-docs/gateway', (_req: Request, res: Response) => {
    res.json(ownDocument);
  });
  setupDocsUi(app, ownDocument);
  app.get(GatewayPipeline).mount(http);
}
