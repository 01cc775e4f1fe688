import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import type { IEntryNestModule } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { useJsonBodies } from './json-bodies';
import { trustProxies } from './trusted-proxies';

export interface ServiceOptions {
  serviceName: string;
  host: string;
  port: number;
  openApi: { title: string; description: string; bearerAuth?: boolean };
  /** Largest JSON body accepted, in bytes (MAX_BODY_BYTES); larger bodies get 413. */
  maxBodyBytes: number;
  /** False for a service that streams bodies through untouched (the gateway). */
  parseJsonBodies?: boolean;
  /** Runs on the Express app before Nest's routes (e.g. a proxy). */
  configure?: (app: NestExpressApplication) => void | Promise<void>;
  /** Peers whose X-Forwarded-For is believed (TRUSTED_PROXIES); none when absent. */
  trustedProxies?: readonly string[];
}

export function buildOpenApiDocument(app: INestApplication, options: ServiceOptions['openApi']): OpenAPIObject {
  let builder = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1.0');
  if (options.bearerAuth !== false) builder = builder.addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return SwaggerModule.createDocument(app, builder.build());
}

/**
 * Creates and starts a service: JSON logger, JSON bodies (useJsonBodies), OpenAPI document at `/api-docs`, graceful shutdown
 * on SIGTERM/SIGINT (Nest closes servers, consumers and pools through the lifecycle hooks).
 */
export async function bootstrapService(rootModule: IEntryNestModule, options: ServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(rootModule, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  if (options.parseJsonBodies !== false) useJsonBodies(app, options.maxBodyBytes);
  app.enableShutdownHooks();
  const http = app.getHttpAdapter().getInstance();
  http.disable('x-powered-by');
  trustProxies(http, options.trustedProxies);

  const document = buildOpenApiDocument(app, options.openApi);
  http.get('/api-docs', (_req: unknown, res: { json(body: unknown): void }) => res.json(document));

  await options.configure?.(app);
  await app.listen(options.port, options.host);
  app.get(Logger).log(`${options.serviceName} listening on http://${options.host}:${options.port}`);
  return app;
}

/** Runs a service's main; a failure to start is one JSON log line and exit code 1, not a stack dump. */
export function runMain<T>(serviceName: string, main: () => Promise<T>): Promise<T | undefined> {
  return main().catch((error: unknown) => {
    const err = error as Error;
    process.stderr.write(
      `${JSON.stringify({ level: 60, time: Date.now(), service: serviceName, message: 'Service failed to start', err: { type: err?.name, message: err?.message } })}\n`,
    );
    process.exit(1);
    return undefined;
  });
}
