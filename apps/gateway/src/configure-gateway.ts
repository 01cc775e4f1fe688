import { buildOpenApiDocument, type ServiceOptions } from '@pm/bootstrap';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';
import { GatewayPipeline } from './proxy/gateway-pipeline';

export const GATEWAY_OPENAPI: ServiceOptions['openApi'] = {
  title: 'API gateway',
  description: "The REST edge: routes /auth and /api to the services, aggregates health and the services' API documents",
  bearerAuth: false,
};

/** Runs on the Express app before Nest's routes: the gateway's own document and the proxy pipeline. */
export function configureGateway(app: NestExpressApplication): void {
  const http = app.getHttpAdapter().getInstance() as Express;
  const ownDocument = buildOpenApiDocument(app, GATEWAY_OPENAPI);
  http.get('/api-docs/gateway', (_req: Request, res: Response) => {
    res.json(ownDocument);
  });
  app.get(GatewayPipeline).mount(http);
}
