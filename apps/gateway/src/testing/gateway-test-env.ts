import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { trustProxies, loadConfig } from '@pm/platform';
import { waitFor } from '@pm/testing';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../app.module';
import { gatewayConfigSchema } from '../config/gateway.config';
import { configureGateway } from '../configure-gateway';

/** What a stand-in service saw of one proxied request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The body a stand-in service answers with. */
export interface Echo {
  service: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The whole body, or undefined when the client (the gateway) broke the request off. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return req.complete ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/**
 * A real HTTP server standing in for one service. It echoes every complete request as JSON; a POST
 * answers 201 with Location and ETag; `/…/missing` answers a 404 problem; `/…/hang` never answers.
 * Requests broken off before their end are only counted in `incomplete`.
 */
export class UpstreamStub {
  readonly seen: SeenRequest[] = [];
  incomplete = 0;
  /** What `/health/ready` answers. */
  readyStatus = 200;
  private readonly server: Server;
  url = '';

  private constructor(readonly name: string) {
    this.server = createServer((req, res) => void this.answer(req, res));
  }

  static async start(name: string): Promise<UpstreamStub> {
    const stub = new UpstreamStub(name);
    stub.url = await listen(stub.server);
    return stub;
  }

  stop(): Promise<void> {
    return stop(this.server);
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const body = await readBody(req);
    if (body === undefined) {
      this.incomplete += 1;
      res.destroy();
      return;
    }
    if (url === '/health/ready') {
      const status = this.readyStatus === 200 ? 'up' : 'down';
      const failure = status === 'down' ? { message: 'connect ECONNREFUSED 10.9.8.7:5432' } : {};
      res.writeHead(this.readyStatus, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: status === 'up' ? 'ok' : 'error', details: { database: { status, ...failure } } }));
      return;
    }
    if (url === '/api-docs') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ openapi: '3.0.0', info: { title: `${this.name} service`, version: '1.0' }, paths: { [`/${this.name}`]: {} } }));
      return;
    }
    this.seen.push({ method: req.method ?? '', url, headers: req.headers, body });
    if (url.includes('/hang')) return; // never answers
    if (url.endsWith('/missing')) {
      res.writeHead(404, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such thing' }));
      return;
    }
    const created = req.method === 'POST';
    const prefix = String(req.headers['x-forwarded-prefix'] ?? '');
    res.writeHead(created ? 201 : 200, {
      'content-type': 'application/json',
      etag: '"v1"',
      ...(created ? { location: `${prefix}${url.split('?')[0]}/new-id` } : {}),
    });
    res.end(JSON.stringify({ service: this.name, method: req.method, url, headers: req.headers, body }));
  }
}

export const TOKEN_ISSUER = 'patient-management-auth';
export const TOKEN_AUDIENCE = 'patient-management';

/** Auth's published keys, served by a real JWKS endpoint, and a way to sign tokens with them. */
export class JwksIssuer {
  readonly kid = 'test-key-1';
  url = '';

  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly server: Server,
  ) {}

  static async start(): Promise<JwksIssuer> {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'ES256', use: 'sig' };
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    const issuer = new JwksIssuer(privateKey, server);
    issuer.url = `${await listen(server)}/.well-known/jwks.json`;
    return issuer;
  }

  stop(): Promise<void> {
    return stop(this.server);
  }

  /** A valid access token, unless the overrides break it. */
  sign(
    overrides: { claims?: JWTPayload; key?: CryptoKey; audience?: string; issuer?: string; expiresAt?: number; subject?: string } = {},
  ): Promise<string> {
    return new SignJWT({ role: 'ADMIN', email: 'testuser@test.com', ...overrides.claims })
      .setProtectedHeader({ alg: 'ES256', kid: this.kid })
      .setSubject(overrides.subject ?? 'user-1')
      .setJti(randomUUID())
      .setIssuer(overrides.issuer ?? TOKEN_ISSUER)
      .setAudience(overrides.audience ?? TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(overrides.expiresAt ?? '5m')
      .sign(overrides.key ?? this.privateKey);
  }
}

/** A URL where nothing listens: connections to it are refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await stop(server);
  return url;
}

export interface StubbedServices {
  auth: UpstreamStub;
  patient: UpstreamStub;
  billing: UpstreamStub;
  analytics: UpstreamStub;
  appointment: UpstreamStub;
}

export async function startStubbedServices(): Promise<StubbedServices> {
  const [auth, patient, billing, analytics, appointment] = await Promise.all(
    ['auth', 'patients', 'billing', 'analytics', 'appointments'].map((name) => UpstreamStub.start(name)),
  );
  return { auth, patient, billing, analytics, appointment };
}

export function stubUrls(stubs: StubbedServices): Record<string, string> {
  return {
    AUTH_SERVICE_URL: stubs.auth.url,
    PATIENT_SERVICE_URL: stubs.patient.url,
    BILLING_SERVICE_URL: stubs.billing.url,
    ANALYTICS_SERVICE_URL: stubs.analytics.url,
    APPOINTMENT_SERVICE_URL: stubs.appointment.url,
  };
}

/** Rate-limit counters of one test run, apart from every other run's and the running system's. */
export function uniqueRateLimitPrefix(): string {
  return `gateway-test-${randomUUID()}`;
}

/** A gateway started by startGateway. */
export interface RunningGateway {
  app: INestApplication;
  url: string;
}

/** Overrides of the gateway's environment, computed once the stand-ins and the issuer run. */
export type GatewayEnv = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/**
 * One describe's world: the five stand-in services, a JWKS issuer, and a gateway pointed at them
 * (the overrides on top). Filled in by useGatewayHarness's beforeAll.
 */
export class GatewayHarness {
  stubs: StubbedServices;
  issuer: JwksIssuer;
  gateway: RunningGateway;
  /** The stand-ins' URLs and the issuer's JWKS, for a second gateway beside the first. */
  env: Record<string, string>;

  async start(overrides: GatewayEnv, ready: boolean): Promise<void> {
    [this.stubs, this.issuer] = await Promise.all([startStubbedServices(), JwksIssuer.start()]);
    this.env = { ...stubUrls(this.stubs), AUTH_JWKS_URL: this.issuer.url };
    const extra = typeof overrides === 'function' ? await overrides() : overrides;
    this.gateway = await startGateway({ ...this.env, ...extra });
    if (ready) await whenGatewayReady(this.gateway);
  }

  async close(): Promise<void> {
    await this.gateway?.app.close();
    await Promise.all([...Object.values(this.stubs ?? {}).map((stub) => stub.stop()), this.issuer?.stop()]);
  }
}

/**
 * Starts a GatewayHarness before the describe's tests and closes it after them. With `ready`, its
 * beforeAll also waits until the gateway's Redis connection is up.
 */
export function useGatewayHarness(overrides: GatewayEnv = {}, options: { ready?: boolean } = {}): GatewayHarness {
  const harness = new GatewayHarness();
  beforeAll(() => harness.start(overrides, options.ready ?? false));
  afterAll(() => harness.close());
  return harness;
}

/**
 * Boots the gateway as main.ts does through bootstrapService (bodies not parsed, X-Powered-By off,
 * trusted proxies, /api-docs registered first, then the edge and the pipeline before Nest's routes).
 */
export async function startGateway(env: Record<string, string>): Promise<RunningGateway> {
  const config = loadConfig(gatewayConfigSchema, 'gateway', {
    HTTP_PORT: '1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_KEY_PREFIX: uniqueRateLimitPrefix(),
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false, bodyParser: false });
  const http = app.getHttpAdapter().getInstance();
  http.disable('x-powered-by');
  trustProxies(http, config.TRUSTED_PROXIES);
  http.get('/api-docs', (_req: unknown, res: { json(body: unknown): void }) => res.json({ openapi: '3.0.0' }));
  configureGateway(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** Resolves once the gateway's Redis connection is up (its readiness is 200). */
export async function whenGatewayReady(gateway: { url: string }): Promise<void> {
  await waitFor(async () => (await fetch(`${gateway.url}/health/ready`)).ok, { description: "the gateway's Redis connection" });
}
