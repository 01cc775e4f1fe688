import { INestApplication } from '@nestjs/common';
import { TestTokenIssuer, recreateDatabase } from '@pm/testing';
import { DataSource } from 'typeorm';
import { BillingTestServer } from './billing-test-server';
import { startPatientApp } from './patient-test-app';

/** What an integration spec of the patient app works with; filled in by its beforeAll. */
export interface PatientTestContext {
  app: INestApplication;
  baseUrl: string;
  dataSource: DataSource;
  issuer: TestTokenIssuer;
  billing: BillingTestServer;
  /** The environment `recreateDatabase` returned: the spec's own database. */
  database: Record<string, string>;
  /** An ADMIN bearer token valid for an hour. */
  admin: string;
  /** A JSON request to the app, as ADMIN unless another `authorization` is given. */
  send(method: string, path: string, body?: unknown, authorization?: string): Promise<Response>;
  /** Boots another patient app on the same database, issuer and billing peer; the caller closes it. */
  boot(extraEnv?: Record<string, string>): Promise<INestApplication>;
}

/**
 * Registers the hooks that boot the real patient app on its own fresh database (with a token
 * issuer and a billing peer) before the spec's tests and stop it after them.
 */
export function usePatientApp(databaseName: string, env?: Record<string, string>): PatientTestContext {
  const context = {
    send: (method: string, path: string, body?: unknown, authorization = context.admin) =>
      fetch(`${context.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    boot: (extraEnv: Record<string, string> = {}) =>
      startPatientApp({ database: context.database, issuer: context.issuer, billingUrl: context.billing.url, env: { ...env, ...extraEnv } }),
  } as PatientTestContext;

  beforeAll(async () => {
    context.issuer = await TestTokenIssuer.start();
    context.admin = await context.issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    context.billing = await new BillingTestServer().start();
    context.database = await recreateDatabase(databaseName);
    context.app = await context.boot();
    context.baseUrl = await context.app.getUrl();
    context.dataSource = context.app.get(DataSource);
  });

  afterAll(async () => {
    await context.app?.close();
    await context.billing?.stop();
    await context.issuer?.stop();
  });

  return context;
}
