import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@pm/platform';
import { TestTokenIssuer, recreateDatabase } from '@pm/testing';
import { AppModule } from '../app.module';
import { billingConfigSchema } from '../config/billing.config';

/** What an integration spec of the billing app works with; filled in by its beforeAll. */
export interface BillingTestContext {
  app: INestApplication;
  baseUrl: string;
  issuer: TestTokenIssuer;
  /** The environment `recreateDatabase` returned: the spec's own database. */
  database: Record<string, string>;
  /** Boots another billing app on the same database and issuer; the caller closes it. */
  boot(env?: Record<string, string>): Promise<INestApplication>;
}

/**
 * Registers the hooks that boot the real billing app (HTTP on a free port, gRPC on another) on its
 * own fresh database with a token issuer before the spec's tests, and stop both after them.
 */
export function useBillingApp(databaseName: string, env: Record<string, string> = {}): BillingTestContext {
  const context = {
    boot: async (extra: Record<string, string> = {}) => {
      const config = loadConfig(billingConfigSchema, 'billing', {
        ...context.database,
        ...context.issuer.config,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        HTTP_PORT: '1',
        GRPC_PORT: '0',
        GRPC_HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        // Never the real service's group: it would take the running system's appointment events.
        KAFKA_CONSUMER_GROUP: `billing-test-${randomUUID()}`,
        ...env,
        ...extra,
      });
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
      const nest = moduleRef.createNestApplication({ logger: false });
      await nest.listen(0, '127.0.0.1');
      return nest;
    },
  } as BillingTestContext;

  beforeAll(async () => {
    context.issuer = await TestTokenIssuer.start();
    context.database = await recreateDatabase(databaseName);
    context.app = await context.boot();
    context.baseUrl = await context.app.getUrl();
  });

  afterAll(async () => {
    await context.app?.close();
    await context.issuer?.stop();
  });

  return context;
}
