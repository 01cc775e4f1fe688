import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { trustProxies, useJsonBodies, loadConfig } from '@pm/platform';
import { jsonRequest, recreateDatabase } from '@pm/testing';
import { exportJWK, generateKeyPair } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { AuthConfig, SigningJwk, authConfigSchema } from '../config/auth.config';

/** A private signing key made per run: no private key is ever committed, not even a test one. */
export async function privateJwk(kid: string): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d!, kid };
}

/** A client address nobody else uses (IPv6 documentation range), so failed-login counts per IP never mix. */
export function uniqueClientIp(): string {
  const groups = randomBytes(8).toString('hex').match(/.{4}/g)!;
  return `2001:db8:${groups.join(':')}`;
}

export interface TokenPair {
  token: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}

export interface RequestOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface AuthTestApp {
  app: INestApplication;
  baseUrl: string;
  config: AuthConfig;
  dataSource: DataSource;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Logs in from a fresh client IP unless one is given (sent as X-Forwarded-For through loopback, a trusted proxy). */
  login(email: string, password?: string, ip?: string): Promise<Response>;
  /** Logs in and answers the token pair; fails the test unless the login succeeds. */
  tokensFor(email: string, password?: string): Promise<TokenPair>;
  userId(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Boots auth as `main.ts` does (same body parser and trust-proxy setting) on a fresh database of
 * its own, real Redis, and a failed-login key prefix unique to this run so runs never share counters.
 */
export async function startAuthTestApp(databaseName: string, overrides: Record<string, string> = {}): Promise<AuthTestApp> {
  const database = await recreateDatabase(databaseName);
  const config = loadConfig(authConfigSchema, 'auth', {
    ...database,
    HTTP_PORT: '1',
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'true',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOGIN_THROTTLE_KEY_PREFIX: `auth-int:${randomUUID()}`,
    AUTH_SIGNING_KEYS: JSON.stringify([await privateJwk('current'), await privateJwk('previous')]),
    ...overrides,
  });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), { logger: false, bodyParser: false });
  useJsonBodies(app, config.MAX_BODY_BYTES);
  // The same as bootstrapService: the gateway (TRUSTED_PROXIES, loopback here) is a trusted proxy.
  trustProxies(app.getHttpAdapter().getInstance(), config.TRUSTED_PROXIES);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const dataSource = app.get(DataSource);

  const request = (method: string, path: string, options: RequestOptions = {}) =>
    fetch(`${baseUrl}${path}`, { method, ...jsonRequest(options) });
  const login = (email: string, password = 'password123', ip = uniqueClientIp()) =>
    request('POST', '/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });

  return {
    app,
    baseUrl,
    config,
    dataSource,
    request,
    login,
    async tokensFor(email, password) {
      const response = await login(email, password);
      if (response.status !== 200) throw new Error(`login as ${email} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as TokenPair;
    },
    async userId(email) {
      const rows: { id: string }[] = await dataSource.query('SELECT id FROM users WHERE email = $1', [email]);
      return rows[0].id;
    },
    close: () => app.close(),
  };
}

/**
 * Starts an auth test app (startAuthTestApp) before the describe's tests and closes it after them.
 * The handle answers once beforeAll ran; used earlier (while the describe is being collected), it throws.
 */
export function useAuthTestApp(databaseName: string, overrides: Record<string, string> = {}): AuthTestApp {
  let started: AuthTestApp | undefined;
  beforeAll(async () => {
    started = await startAuthTestApp(databaseName, overrides);
  }, 30_000);
  afterAll(() => started?.close());
  const current = (): AuthTestApp => {
    if (!started) throw new Error(`the auth test app on ${databaseName} is not started yet`);
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    get baseUrl() {
      return current().baseUrl;
    },
    get config() {
      return current().config;
    },
    get dataSource() {
      return current().dataSource;
    },
    request: (method, path, options) => current().request(method, path, options),
    login: (email, password, ip) => current().login(email, password, ip),
    tokensFor: (email, password) => current().tokensFor(email, password),
    userId: (email) => current().userId(email),
    close: () => current().close(),
  };
}
