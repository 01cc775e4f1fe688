import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@pm/platform';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO } from '@pm/contracts';
import { loadServiceDefinition } from '@pm/grpc';
import { TestTokenIssuer, recreateDatabase } from '@pm/testing';
import { AppModule } from '../app.module';
import { BillingAccountsGrpcServer } from '../accounts/billing-accounts.grpc';
import { billingConfigSchema } from '../config/billing.config';

/** What every billing app of a test runs with: free ports on loopback, no log lines, real Redis. */
const FIXED_TEST_ENV = {
  HTTP_PORT: '1',
  GRPC_PORT: '0',
  GRPC_HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** What an integration spec of the billing app works with; filled in by its beforeAll. */
export interface BillingTestContext {
  app: INestApplication;
  baseUrl: string;
  /** A gRPC client of the app's BillingService. */
  grpcClient: grpc.Client;
  issuer: TestTokenIssuer;
  /** The environment `recreateDatabase` returned: the spec's own database. */
  database: Record<string, string>;
  /** Boots another billing app on the same database and issuer; the caller closes it. */
  boot(env?: Record<string, string>): Promise<INestApplication>;
}

/**
 * Registers the hooks that boot the real billing app (HTTP on a free port, gRPC on another) on its
 * own fresh database with a token issuer before the spec's tests, and stop them after.
 */
export function useBillingApp(databaseName: string, env: Record<string, string> = {}): BillingTestContext {
  const context = {
    boot: async (extra: Record<string, string> = {}): Promise<INestApplication> => {
      const config = loadConfig(billingConfigSchema, 'billing', {
        ...context.database,
        ...context.issuer.config,
        ...FIXED_TEST_ENV,
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
    const BillingService = loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME);
    context.grpcClient = new BillingService(`127.0.0.1:${context.app.get(BillingAccountsGrpcServer).boundPort!}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    context.grpcClient?.close();
    await context.app?.close();
    await context.issuer?.stop();
  });

  return context;
}
