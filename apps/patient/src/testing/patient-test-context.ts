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
  /** A JSON request sender as `role` (one hour-long token a role, minted on first use), with extra headers. */
  sendAs(role: string): (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;
  /** Boots another patient app on the same database, issuer and billing peer; the caller closes it. */
  boot(extraEnv?: Record<string, string>): Promise<INestApplication>;
}

/**
 * Registers the hooks that boot the real patient app on its own fresh database (with a token
 * issuer and a billing peer) before the spec's tests and stop it after them.
 */
export function usePatientApp(databaseName: string, env?: Record<string, string>): PatientTestContext {
  const tokens = new Map<string, Promise<string>>();
  const request = (authorization: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${context.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const context = {
    send: (method: string, path: string, body?: unknown, authorization = context.admin) => request(authorization, method, path, body),
    sendAs: (role: string) => async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      if (!tokens.has(role)) tokens.set(role, context.issuer.bearer(role, { expiresAt: Math.floor(Date.now() / 1000) + 3600 }));
      return request(await tokens.get(role)!, method, path, body, headers);
    },
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
