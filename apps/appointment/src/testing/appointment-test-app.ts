import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { loadConfig, trustProxies, useJsonBodies } from '@pm/platform';
import { TestTokenIssuer, recreateDatabase } from '@pm/testing';
import { AppModule } from '../app.module';
import { appointmentConfigSchema } from '../config/appointment.config';

export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** What an integration spec of the appointment app works with; filled in by its beforeAll. */
export interface AppointmentTestContext {
  app: INestApplication;
  baseUrl: string;
  issuer: TestTokenIssuer;
  /** A DOCTOR bearer token valid for an hour. */
  doctor: string;
  /** Boots another appointment app on the same database and issuer; the caller closes it. */
  boot(env?: Record<string, string>): Promise<INestApplication>;
}

/**
 * Registers the hooks that boot the real appointment app, with the body parser main.ts uses, on its
 * own fresh database with a token issuer before the spec's tests, and stop both after them.
 */
export function useAppointmentApp(databaseName: string): AppointmentTestContext {
  let database: Record<string, string>;
  const context = {
    boot: async (env: Record<string, string> = {}): Promise<INestApplication> => {
      const config = loadConfig(appointmentConfigSchema, 'appointment', {
        ...database,
        ...context.issuer.config,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        HTTP_PORT: '1',
        LOG_LEVEL: 'silent',
        KAFKA_BROKERS,
        // A group of its own, so this run reads every patient event and shares offsets with no one.
        KAFKA_CONSUMER_GROUP: `appointment-int-${randomUUID()}`,
        ...env,
      });
      const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
      const nest = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
      useJsonBodies(nest, config.MAX_BODY_BYTES);
      // The same as bootstrapService: the gateway (TRUSTED_PROXIES, loopback here) is a trusted proxy.
      trustProxies(nest.getHttpAdapter().getInstance(), config.TRUSTED_PROXIES);
      await nest.listen(0, '127.0.0.1');
      return nest;
    },
  } as AppointmentTestContext;

  beforeAll(async () => {
    context.issuer = await TestTokenIssuer.start();
    context.doctor = await context.issuer.bearer('DOCTOR', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    database = await recreateDatabase(databaseName);
    context.app = await context.boot();
    context.baseUrl = await context.app.getUrl();
  });

  afterAll(async () => {
    await context.app?.close();
    await context.issuer?.stop();
  });

  return context;
}
