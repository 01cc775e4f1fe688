import { buildOpenApiDocument, type ServiceOptions } from '@pm/bootstrap';
import { APP_CONFIG } from '@pm/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, RequestHandler, Response } from 'express';
import { setupDocsUi } from './api-docs/docs-ui';
import type { GatewayConfig } from './config/gateway.config';
import { corsMiddleware } from './edge/cors';
import { securityHeaders } from './edge/security-headers';
import { GatewayPipeline } from './proxy/gateway-pipeline';

export const GATEWAY_OPENAPI: ServiceOptions['openApi'] = {
  title: 'API gateway',
  description: "The REST edge: routes /auth and /api to the services, aggregates health and the services' API documents",
  bearerAuth: false,
};

/**
 * Puts handlers in front of every route already registered on the Express app (bootstrapService
 * registers /api-docs before this runs), so no response leaves without them.
 */
function useFirst(http: Express, ...handlers: RequestHandler[]): void {
  http.use(...handlers);
  const stack = (http as unknown as { router: { stack: unknown[] } }).router.stack;
  stack.unshift(...stack.splice(stack.length - handlers.length, handlers.length));
}

/**
 * Runs on the Express app before Nest's routes: security headers and CORS first (preflights are
 * answered here, never proxied), the gateway's own document, the Swagger UI, the proxy pipeline.
 */
export function configureGateway(app: NestExpressApplication): void {
  const http = app.getHttpAdapter().getInstance() as Express;
  const config = app.get<GatewayConfig>(APP_CONFIG);
  useFirst(http, securityHeaders(), corsMiddleware(config.CORS_ALLOWED_ORIGINS));
  const ownDocument = buildOpenApiDocument(app, GATEWAY_OPENAPI);
  http.get('/api-docs/gateway', (_req: Request, res: Response) => {
    res.json(ownDocument);
  });
  setupDocsUi(app, ownDocument);
  app.get(GatewayPipeline).mount(http);
}
