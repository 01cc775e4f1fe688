import { waitFor } from '@pm/testing';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import demoPatients from '../apps/patient/src/demo/demo-patients.json';
import { ROUTE_TABLE, type ProtectedRoute } from '../apps/gateway/src/routes/route-table';
import type { UpstreamService } from '../apps/gateway/src/routes/upstream-services';
import { FUZZ_GATEWAY_PORT, fuzzGateway, fuzzGatewayUrl } from './fuzz/fuzz-gateway';
import { distinctFailures, formatReport, fuzzOperation, newStats, operationSeed, type Target } from './fuzz/fuzz-runner';
import { operationsOf, resolver, type Operation } from './fuzz/openapi';
import { ROLES, knownNastyRequests, requestArbitrary, type Caller, type KnownIds } from './fuzz/request-arbitraries';
import { analyticsLag, serviceLag } from './support/clients';
import { DEMO_PASSWORD, DEMO_USERS, freshClientAddress, targetUrl } from './support/security-clients';

/**
 * Property-based fuzzing of every route of every service, generated from each service's OpenAPI
 * document: malformed, oversized, wrongly typed, deeply nested and odd-Unicode input in bodies,
 * query, path and headers, as every role and anonymously, through a gateway of its own (rate
 * limits raised) and straight at each service. Fails on any 5xx, an answer slower than 2 s twice,
 * an error that is not problem+json, or one that echoes the body, a stack trace, SQL or a host.
 *
 * FUZZ_SEED (default fixed) and FUZZ_RUNS (inputs per operation) choose the inputs; a failure
 * prints FUZZ_SEED, FUZZ_ONLY (the operation) and FUZZ_REPLAY (the run) to send it again.
 */
const settings = {
  seed: Number(process.env.FUZZ_SEED ?? 20_261_203),
  runs: Number(process.env.FUZZ_RUNS ?? 30),
  replayPath: process.env.FUZZ_REPLAY || undefined,
};
const only = process.env.FUZZ_ONLY;
const CONCURRENCY = 3;

jest.setTimeout(Math.max(300_000, settings.runs * 20_000));

const SERVICES: Record<string, { service: UpstreamService; document: string }> = {
  auth: { service: 'auth', document: 'auth' },
  patient: { service: 'patient', document: 'patients' },
  billing: { service: 'billing', document: 'billing' },
  analytics: { service: 'analytics', document: 'analytics' },
  appointment: { service: 'appointment', document: 'appointments' },
};

const gateway = fuzzGateway();
const clientAddress = freshClientAddress();
const fromClient = { 'x-forwarded-for': clientAddress };
const tokens: Partial<Record<Caller, string>> = {};
/** Second sessions, the only ones logout is fuzzed with (logout ends the session it is shown). */
const spareTokens: Partial<Record<Caller, string>> = {};
const stats = newStats();
const operations: { operation: Operation; resolve: ReturnType<typeof resolver> }[] = [];
const known: KnownIds = { byName: {}, byPath: {} };

async function json(method: string, url: string, token?: string, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { ...fromClient, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const answer = await response.json().catch(() => undefined);
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

beforeAll(async () => {
  await gateway.start();
  // The demo users log in once: fuzzed logins use made-up emails, so no demo account is throttled.
  for (const role of ROLES) {
    const logIn = () => json('POST', `${fuzzGatewayUrl}/auth/login`, undefined, { email: DEMO_USERS[role], password: DEMO_PASSWORD });
    tokens[role] = (await logIn()).token;
    spareTokens[role] = (await logIn()).token;
  }
  // The fuzzer's own entities, for the routes that change or delete what they name.
  const unique = Date.now().toString(36);
  const doctor = await json('GET', `${fuzzGatewayUrl}/auth/me`, tokens.DOCTOR);
  const patient = await json('POST', `${fuzzGatewayUrl}/api/patients`, tokens.ADMIN, {
    name: 'Fuzz Patient',
    email: `fuzz.patient.${unique}@example.com`,
    address: '1 Fuzz Lane',
    dateOfBirth: '1980-01-01',
    registeredDate: '2024-01-01',
  });
  const user = await json('POST', `${fuzzGatewayUrl}/auth/users`, tokens.ADMIN, { email: `fuzz.user.${unique}@example.com`, password: 'Fz-quiet Harbor 93 lantern', role: 'NURSE' });
  const start = new Date(Date.UTC(2099, 0, 1, 9, 0) + (Date.now() % 100_000) * 60_000);
  // The appointment service learns of patients from Kafka: right after start-up it may not know one yet.
  const appointment = await waitFor(
    () =>
      json('POST', `${fuzzGatewayUrl}/api/appointments`, tokens.ADMIN, {
        patientId: demoPatients[0].id,
        doctorId: doctor.id,
        startTime: start.toISOString(),
        endTime: new Date(start.getTime() + 30 * 60_000).toISOString(),
        reason: 'Fuzz booking',
      }),
    { timeoutMs: 60_000, intervalMs: 500, description: 'the fuzzer booking its own appointment' },
  );
  known.byName = { patientId: demoPatients[0].id, doctorId: doctor.id };

  for (const [name, { service, document }] of Object.entries(SERVICES)) {
    const own = await json('GET', `${targetUrl(name as 'auth')}/api-docs`);
    const published = await json('GET', `${fuzzGatewayUrl}/api-docs/${document}`);
    const resolve = resolver(own);
    for (const operation of operationsOf(service, own, published.servers[0].url)) {
      if (only && operation.id !== only) continue;
      operations.push({ operation, resolve });
    }
  }
  // Path ids: the fuzzer's own entities (never a demo patient or user it could delete or disable).
  for (const { operation } of operations) {
    const p = operation.path;
    if (operation.service === 'patient' && p.startsWith('/patients/{id}')) known.byPath[p] = patient.id;
    if (p.startsWith('/users/{id}')) known.byPath[p] = user.id;
    if (p.startsWith('/doctors/{id}')) known.byPath[p] = doctor.id;
    if (p.startsWith('/appointments/{id}') || p.startsWith('/fhir/R4/Appointment/{id}')) known.byPath[p] = appointment.id;
  }
}, 120_000);

afterAll(async () => {
  await gateway.stop();
  // Leave the shared system quiet: the next suites measure invoices and analytics as deltas. A
  // completed booking becomes an invoice (billing) and then revenue (analytics); twice, a second
  // apart, so an event published in between is waited for too.
  for (let round = 0; round < 2; round++) {
    await waitFor(async () => (await serviceLag('billing', ['appointment'])) === 0, { timeoutMs: 30_000, description: 'billing to catch up with the fuzzer' });
    await waitFor(async () => (await analyticsLag(['patient', 'appointment', 'billing'])) === 0, { timeoutMs: 30_000, description: 'analytics to catch up with the fuzzer' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
});

function grantedRoles(operation: Operation): Caller[] | undefined {
  if (!operation.gatewayPath) return undefined;
  const route = ROUTE_TABLE.find((r) => operation.gatewayPath === r.prefix || operation.gatewayPath!.toLowerCase().startsWith(`${r.prefix.toLowerCase()}/`));
  if (!route || route.access === 'public') return undefined;
  return ROLES.filter((role) => ((route as ProtectedRoute).grants[role] ?? []).includes(operation.method as never));
}

test('every route answers hostile input with a clean 4xx: no 5xx, no slow answer, no leak', async () => {
  const started = Date.now();
  expect(operations.length).toBeGreaterThan(only ? 0 : 30);
  const queue = [...operations];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { operation, resolve } = next;
      const targets: Target[] = [{ name: operation.service, baseUrl: targetUrl(operation.service as 'auth'), path: operation.path }];
      if (operation.gatewayPath) targets.unshift({ name: 'gateway', baseUrl: fuzzGatewayUrl, path: operation.gatewayPath });
      const context = { resolve, known, grantedRoles: grantedRoles(operation) };
      const examples = knownNastyRequests(operation, context, operationSeed(settings.seed, operation.id));
      const sessions = operation.service === 'auth' && operation.path === '/logout' ? spareTokens : tokens;
      await fuzzOperation(operation, requestArbitrary(operation, context), examples, targets, sessions, fromClient, settings, stats);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const groups = distinctFailures(stats.failures);
  const summary = [
    `Fuzzed ${operations.length} operations with FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs} through the gateway on :${FUZZ_GATEWAY_PORT} and straight at the services:`,
    `${stats.requests} requests (${stats.reruns} reruns of slow ones), ${stats.inputs.size} distinct inputs, ${seconds} s;`,
    `statuses ${JSON.stringify(Object.fromEntries([...stats.statuses].sort(([a], [b]) => a - b)))}; ${groups.size} distinct failures.`,
  ].join('\n');
  mkdirSync(path.resolve(__dirname, '..', '.cache'), { recursive: true });
  writeFileSync(path.resolve(__dirname, '..', '.cache', 'fuzz-report.txt'), `${summary}\n${formatReport(stats.failures)}\n`);
  process.stdout.write(`\n${summary}\n`);
  if (stats.failures.length) throw new Error(`${summary}\n\n${formatReport(stats.failures)}`);
  // Honest only if the inputs got past authentication to the handlers on every route.
  const unreached = operations.map(({ operation }) => operation.id).filter((id) => !stats.reachedHandler.get(id));
  expect(unreached).toEqual([]);
});
