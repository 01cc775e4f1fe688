import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { useJsonBodies, loadConfig } from '@pm/platform';
import { Topics } from '@pm/contracts';
import { startGroupAtEnd, type TestTokenIssuer } from '@pm/testing';
import { AppModule } from '../app.module';
import { patientConfigSchema } from '../config/patient.config';

export interface PatientTestAppOptions {
  /** The environment `recreateDatabase` returned: the test's own database. */
  database: Record<string, string>;
  issuer: TestTokenIssuer;
  billingUrl: string;
  env?: Record<string, string>;
}

/**
 * Boots the real patient app, with the body parser main.ts uses, on a free port against the test's
 * database, JWKS and billing peer.
 */
export async function startPatientApp(options: PatientTestAppOptions): Promise<INestApplication> {
  // A group of its own, starting at the end: apps of killed test runs stay members of a shared
  // group for a session timeout, and every rebalance they cause stalls the next test's consumer.
  const consumerGroup = options.env?.KAFKA_CONSUMER_GROUP ?? `patient-test-${randomUUID()}`;
  await startGroupAtEnd(`${consumerGroup}-audit-denials`, [Topics.auditDenials]);
  await startGroupAtEnd(`${consumerGroup}-care-team`, [Topics.appointment]);
  const config = loadConfig(patientConfigSchema, 'patient', {
    ...options.database,
    ...options.issuer.config,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HTTP_PORT: '1',
    LOG_LEVEL: 'silent',
    BILLING_GRPC_URL: options.billingUrl,
    KAFKA_CONSUMER_GROUP: consumerGroup,
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
  useJsonBodies(app, config.MAX_BODY_BYTES);
  await app.listen(0, '127.0.0.1');
  return app;
}
