// The system under load (issue 13, item 1): in one run, through the gateway and straight at the
// owning service, GET a patient by id, a list (page of 10), a typo search, creates and a mixed
// workload of several users, beside a bare Node http proxy→server pair (the ceiling), and the
// billing call over gRPC beside REST. Measures only.
//
//   npm run bench:load -- [--duration 10] [--warmup 2] [--connections 50] [--create-connections 16]
//     [--patients 1000] [--offset 21000] [--out .cache/bench-load.json (-headline.json, -overload.json)]
//   npm run bench:load -- --headline [--headline-connections 5000] [--headline-rate 1200] [--headline-duration 60]
//   npm run bench:load -- --overload [--overload-connections 1000] [--overload-duration 20]
//
// Starts its own copy of the system (built; ports shifted by --offset, fresh *_bench_load
// databases, demo users, rate limits raised), seeds --patients patients, measures with autocannon,
// stops the copy. Prints req/s, p50, p99, errors (5xx, timeouts, resets; 409 and 412 apart) and
// each figure's ratio to the bare proxy pair, with the load average before the run and the CPU
// each process spent per request; writes them as JSON. Never prints patient data.
//
// --headline replays the replaced system's headline: 5,000 connections offering 1,200 req/s in
// total (each connection waits between requests; paced by this bench, see paced()) of GET by id
// through the gateway, for 60 s.
// --overload offers twice the measured capacity of that GET and reports how the system answers,
// whether /health/live keeps answering, and how soon a GET is fast again once the load stops.
import autocannon from 'autocannon';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMs, login, seedPatients, startBenchSystem, withDatabase } from '../../infrastructure/local/bench-system.mjs';
import { ROOT, silenceKafkajsTimeoutWarning } from '../../infrastructure/local/infra.mjs';

silenceKafkajsTimeoutWarning();

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'create-connections': { type: 'string', default: '16' },
    patients: { type: 'string', default: '1000' },
    offset: { type: 'string', default: '21000' },
    headline: { type: 'boolean', default: false },
    'headline-connections': { type: 'string', default: '5000' },
    'headline-rate': { type: 'string', default: '1200' },
    'headline-duration': { type: 'string', default: '60' },
    overload: { type: 'boolean', default: false },
    'overload-connections': { type: 'string', default: '1000' },
    'overload-duration': { type: 'string', default: '20' },
    out: { type: 'string' },
  },
});
const duration = Number(options.duration);
const warmup = Number(options.warmup);
const connections = Number(options.connections);
const mode = options.headline ? 'headline' : options.overload ? 'overload' : 'default';
const out = options.out ?? join(ROOT, '.cache', mode === 'default' ? 'bench-load.json' : `bench-load-${mode}.json`);
const SUFFIX = '_bench_load';
const USERS = ['testuser@test.com', 'doctor@test.com', 'nurse@test.com'];
// Misspelt names (as bench:search's typo searches) the seeded names come close to.
const TYPOS = ['Jhon Smyth', 'Kathrin Jonson', 'Micheal Browne', 'Elizbeth Wiliams', 'Cristopher Andersen', 'Jenifer Garsia'];
const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Open connections need file descriptors in this process and in the gateway: raise the soft
 * limit up to the hard one by running again under `ulimit -n` (children inherit it), or say why not.
 */
function ensureOpenFiles(needed) {
  const limits = readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/);
  if (!limits) return;
  const [soft, hard] = [limits[1], limits[2]].map((value) => (value === 'unlimited' ? Infinity : Number(value)));
  if (soft >= needed) return;
  if (hard < needed || process.env.BENCH_LOAD_ULIMIT_RAISED) {
    throw new Error(`${needed} open files are needed, the hard limit is ${hard}: raise it (ulimit -Hn, /etc/security/limits.conf) and run again`);
  }
  console.log(`raising the open-file limit from ${soft} to ${needed}`);
  const rerun = spawnSync('sh', ['-c', `ulimit -n ${needed} && exec "$0" "$@"`, process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_LOAD_ULIMIT_RAISED: '1' },
  });
  process.exit(rerun.status ?? 1);
}

const percentile = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const round = (value, digits = 2) => (value === null || value === undefined ? null : Number(value.toFixed(digits)));

/** The bare pair as two processes; resolves once both listen. */
async function startBarePair(offset) {
  const ports = { server: 4090 + offset, proxy: 4091 + offset };
  const start = (...args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(HERE, 'bare-pair.mjs'), ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.once('exit', (code) => reject(new Error(`bare-pair ${args[0]} exited with ${code}`)));
      child.stdout.once('data', () => resolve(child));
    });
  const server = await start('server', ports.server);
  const proxy = await start('proxy', ports.proxy, ports.server);
  return { ports, pids: { 'bare proxy': proxy.pid, 'bare server': server.pid }, stop: () => [proxy, server].forEach((child) => child.kill('SIGTERM')) };
}

/**
 * The figures kept of one autocannon result: errors are 5xx, timeouts and resets (autocannon's
 * `errors` counts its timeouts too; `timeouts` is their share); 409 and 412 (conflicts a mixed
 * workload may meet) are counted apart from other 4xx.
 */
function figures(result) {
  const byStatus = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]));
  const count = (test) => Object.entries(byStatus).reduce((sum, [code, n]) => sum + (test(Number(code)) ? n : 0), 0);
  return {
    requestsPerSecond: round(result.requests.average, 1),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: count((code) => code >= 500) + result.errors,
    timeouts: result.timeouts,
    conflicts: count((code) => code === 409 || code === 412),
    other4xx: count((code) => code >= 400 && code < 500 && code !== 409 && code !== 412),
    byStatus,
  };
}

/** One measured step: a warm-up, then autocannon with the CPU each process and this generator spent per request. */
async function measure(work, target, autocannonOptions, processes) {
  if (warmup > 0) await autocannon({ ...autocannonOptions, duration: warmup });
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMs(pid)]));
  const generatorBefore = process.cpuUsage();
  const result = await autocannon({ duration, ...autocannonOptions });
  const generator = process.cpuUsage(generatorBefore);
  const total = Math.max(1, result.requests.total);
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => {
      const used = cpuMs(pid);
      return [name, used === null || cpuBefore[name] === null ? null : round((used - cpuBefore[name]) / total)];
    }),
  );
  cpuMsPerRequest.generator = round((generator.user + generator.system) / 1000 / total);
  return { work, target, connections: autocannonOptions.connections, ...figures(result), cpuMsPerRequest };
}

/** autocannon requests picked per call by `choose()`, each connection with one user's token (in its context). */
function varied(tokens, choose) {
  let next = 0;
  return [
    {
      setupRequest: (request, context) => {
        if (!context.token) context.token = tokens[next++ % tokens.length];
        const chosen = choose();
        return {
          ...request,
          ...chosen,
          headers: { ...request.headers, authorization: `Bearer ${context.token}`, ...(chosen.body ? { 'content-type': 'application/json' } : {}) },
        };
      },
    },
  ];
}

/** A new patient's details (made up; unique email, so no 409). */
let created = 0;
const runId = Date.now().toString(36);
function newPatient() {
  created += 1;
  const name = `${TYPOS[created % TYPOS.length].replace(/[^A-Za-z ]/g, '')} Load`;
  return { name, email: `load-${runId}-${created}@example.org`, address: `${created} Benchmark Road`, dateOfBirth: '1980-01-01', registeredDate: '2024-01-10' };
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** The paths of each kind of work under `prefix` ('/api' through the gateway, '' at the service). */
function workloads(prefix, ids, tokens) {
  const byId = () => ({ method: 'GET', path: `${prefix}/patients/${pick(ids)}` });
  const list = () => ({ method: 'GET', path: `${prefix}/patients?page=${1 + Math.floor(Math.random() * 20)}&size=10` });
  const search = () => ({ method: 'GET', path: `${prefix}/patients?size=10&searchValue=${encodeURIComponent(pick(TYPOS))}` });
  const create = () => ({ method: 'POST', path: `${prefix}/patients?confirmDuplicate=true`, body: JSON.stringify(newPatient()) });
  const update = () => {
    const { registeredDate: _, ...details } = newPatient();
    return { method: 'PUT', path: `${prefix}/patients/${pick(ids)}`, body: JSON.stringify(details) };
  };
  // 70 % reads by id, 15 % lists and searches, 10 % creates, 5 % updates.
  const mixed = () => {
    const roll = Math.random();
    if (roll < 0.7) return byId();
    if (roll < 0.85) return roll < 0.775 ? list() : search();
    if (roll < 0.95) return create();
    return update();
  };
  return {
    'GET by id': varied(tokens.slice(0, 1), byId),
    'list (page of 10)': varied(tokens.slice(0, 1), list),
    'typo search': varied(tokens.slice(0, 1), search),
    create: varied(tokens.slice(0, 1), create),
    'mixed (3 users)': varied(tokens, mixed),
  };
}

/** CreateBillingAccount over gRPC, `connections` calls in flight for `duration` s on one channel. */
async function measureGrpc(work, address, connections, patientIdOf, processes) {
  const definition = protoLoader.loadSync(join(ROOT, 'proto', 'billing_service.proto'), { keepCase: true, defaults: true });
  const { BillingService } = grpc.loadPackageDefinition(definition);
  const client = new BillingService(address, grpc.credentials.createInsecure());
  const call = (patientId) =>
    new Promise((resolve) => {
      const started = performance.now();
      client.CreateBillingAccount({ patientId, name: 'Load Bench', email: 'load.bench@example.org' }, { deadline: Date.now() + 10_000 }, (error) =>
        resolve({ ms: performance.now() - started, code: error ? error.code : 0 }),
      );
    });
  const run = async (seconds) => {
    const samples = [];
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) samples.push(await call(patientIdOf()));
      }),
    );
    return samples;
  };
  if (warmup > 0) await run(warmup);
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMs(pid)]));
  const started = performance.now();
  const samples = await run(duration);
  const elapsed = (performance.now() - started) / 1000;
  client.close();
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const byStatus = {};
  for (const { code } of samples) byStatus[`grpc ${code}`] = (byStatus[`grpc ${code}`] ?? 0) + 1;
  const cpuMsPerRequest = Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => [name, cpuBefore[name] === null ? null : round((cpuMs(pid) - cpuBefore[name]) / Math.max(1, samples.length))]),
  );
  return {
    work,
    target: 'billing gRPC',
    connections,
    requestsPerSecond: round(samples.length / elapsed, 1),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
    requests: samples.length,
    errors: samples.filter((s) => s.code !== 0).length,
    timeouts: samples.filter((s) => s.code === grpc.status.DEADLINE_EXCEEDED).length,
    conflicts: 0,
    other4xx: 0,
    byStatus,
    cpuMsPerRequest,
  };
}

/** Polls `url` every `everyMs` until stop() is called; the answers' statuses and latencies. */
function probe(url, everyMs = 250) {
  const answers = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const started = performance.now();
      let status;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        status = response.status;
      } catch {
        status = 'no answer';
      }
      answers.push({ status, ms: performance.now() - started });
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await done;
      const sorted = answers.map((a) => a.ms).sort((a, b) => a - b);
      return { probes: answers.length, ok: answers.filter((a) => a.status === 200).length, p50: round(percentile(sorted, 50)), max: round(sorted.at(-1) ?? null) };
    },
  };
}

function printRows(rows, bare) {
  const ceiling = bare.requestsPerSecond;
  console.log(`${'work'.padEnd(20)} ${'target'.padEnd(16)} ${'conns'.padStart(5)} ${'req/s'.padStart(8)} ${'p50'.padStart(7)} ${'p99'.padStart(7)} ${'errors'.padStart(7)} ${'409/412'.padStart(7)} ${'×bare'.padStart(6)}  CPU ms/request`);
  for (const r of rows) {
    const cpu = Object.entries(r.cpuMsPerRequest).map(([name, ms]) => `${name} ${ms ?? '?'}`).join(', ');
    console.log(
      `${r.work.padEnd(20)} ${r.target.slice(0, 16).padEnd(16)} ${String(r.connections).padStart(5)} ${r.requestsPerSecond.toFixed(0).padStart(8)} ${`${r.p50}`.padStart(5)}ms ${`${r.p99}`.padStart(5)}ms ${String(r.errors).padStart(7)} ${String(r.conflicts).padStart(7)} ${(r.requestsPerSecond / ceiling).toFixed(2).padStart(6)}  ${cpu}`,
    );
  }
}

async function defaultRun({ system, gateway, service, ids, tokens, billing }) {
  const bare = await startBarePair(Number(options.offset));
  const rows = [];
  try {
    const headers = { authorization: `Bearer ${tokens[0]}` };
    const barePath = `/patients/${ids[0]}`;
    rows.push(await measure('GET (bare pair)', 'bare proxy', { url: `http://127.0.0.1:${bare.ports.proxy}${barePath}`, headers, connections }, bare.pids));
    rows.push(await measure('GET (bare pair)', 'bare server', { url: `http://127.0.0.1:${bare.ports.server}${barePath}`, headers, connections }, bare.pids));
  } finally {
    bare.stop();
  }
  const processes = { gateway: system.pidOf('gateway'), patient: system.pidOf('patient') };
  const viaGateway = workloads('/api', ids, tokens);
  const direct = workloads('', ids, tokens);
  for (const work of Object.keys(viaGateway)) {
    const conns = work === 'create' ? Number(options['create-connections']) : connections;
    rows.push(await measure(work, 'gateway', { url: gateway, requests: viaGateway[work], connections: conns }, processes));
    rows.push(await measure(work, 'patient service', { url: service, requests: direct[work], connections: conns }, processes));
  }

  // Billing has no REST route that opens an account (only gRPC does, for the patient service), so
  // gRPC CreateBillingAccount is set beside the closest REST call: GET /billing/accounts/{patientId}.
  const billingProcesses = { billing: system.pidOf('billing'), gateway: system.pidOf('gateway') };
  const opened = [];
  rows.push(
    await measureGrpc('billing: create acct', billing.grpc, connections, () => {
      const id = randomUUID();
      if (opened.length < 100) opened.push(id);
      return id;
    }, billingProcesses),
  );
  rows.push(await measureGrpc('billing: same acct', billing.grpc, connections, () => opened[0], billingProcesses));
  const adminHeaders = { authorization: `Bearer ${tokens[0]}` };
  rows.push(await measure('billing: GET acct', 'gateway', { url: `${gateway}/api/billing/accounts/${opened[0]}`, headers: adminHeaders, connections }, billingProcesses));
  rows.push(await measure('billing: GET acct', 'billing REST', { url: `${billing.rest}/billing/accounts/${opened[0]}`, headers: adminHeaders, connections }, billingProcesses));

  console.log(`\n${duration} s per step after a ${warmup} s warm-up; ×bare = req/s over the bare proxy pair's`);
  printRows(rows, rows[0]);
  const ratios = {};
  for (const work of Object.keys(viaGateway)) {
    const g = rows.find((r) => r.work === work && r.target === 'gateway');
    const d = rows.find((r) => r.work === work && r.target === 'patient service');
    ratios[work] = { gatewayOverBare: round(g.requestsPerSecond / rows[0].requestsPerSecond), gatewayOverDirect: round(g.requestsPerSecond / d.requestsPerSecond) };
  }
  console.log('billing: "create acct" opens a new account per call (gRPC; no REST route opens one), "same acct" repeats one patientId (idempotent);');
  console.log('         "GET acct" is the closest REST call (a read of the account), authenticated as ADMIN.');
  for (const [work, ratio] of Object.entries(ratios)) console.log(`  ${work.padEnd(20)} gateway/bare ${ratio.gatewayOverBare}   gateway/direct ${ratio.gatewayOverDirect}`);
  return { rows, ratios };
}

/**
 * A paced load that autocannon cannot offer (its rates are whole requests per connection and
 * second, and overallRate below the connection count drops connections): `connections` keep-alive
 * connections, each sending its next request `connections / rate` s after the last was due, their
 * phases spread, so `rate` req/s are offered in total. A connection behind its schedule sends at
 * once. Latency counts from the request's sending.
 */
async function paced({ base, choose, tokens, connections: conns, rate, seconds, timeoutMs = 10_000 }) {
  const intervalMs = (conns / rate) * 1000;
  const samples = [];
  const byStatus = {};
  let resets = 0;
  let timeouts = 0;
  const origin = new URL(base);
  const send = (agent, token) =>
    new Promise((resolve) => {
      const { method, path } = choose();
      const started = performance.now();
      let settled = false;
      // Each request ends exactly once: answered, timed out, or reset (also mid-body).
      const settle = (outcome) => {
        if (settled) return;
        settled = true;
        if (outcome === 'timeout') timeouts += 1;
        else if (outcome === 'reset') resets += 1;
        resolve();
      };
      const request = http.request({ host: origin.hostname, port: origin.port, method, path, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
        response.resume();
        response.on('end', () => {
          if (settled) return;
          samples.push(performance.now() - started);
          byStatus[response.statusCode] = (byStatus[response.statusCode] ?? 0) + 1;
          settle('answered');
        });
        response.on('error', () => settle('reset'));
        response.on('aborted', () => settle('reset'));
      });
      request.setTimeout(timeoutMs, () => {
        settle('timeout');
        request.destroy();
      });
      request.on('error', () => settle('reset'));
      request.end();
    });
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: conns }, async (_, i) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      let due = started + Math.random() * intervalMs;
      while (due < end) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await send(agent, tokens[i % tokens.length]);
        due = Math.max(due + intervalMs, performance.now());
      }
      agent.destroy();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const sorted = samples.sort((a, b) => a - b);
  const answered = sorted.length;
  const count = (test) => Object.entries(byStatus).reduce((sum, [code, n]) => sum + (test(Number(code)) ? n : 0), 0);
  return {
    connections: conns,
    offeredPerSecond: rate,
    durationSeconds: seconds,
    requestsPerSecond: round(answered / elapsed, 1),
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
    mean: round(sorted.reduce((sum, ms) => sum + ms, 0) / Math.max(1, answered)),
    requests: answered + resets + timeouts,
    errors: count((code) => code >= 500) + resets + timeouts,
    resets,
    timeouts,
    conflicts: count((code) => code === 409 || code === 412),
    other4xx: count((code) => code >= 400 && code < 500 && code !== 409 && code !== 412),
    byStatus,
    generatorCpuMsPerRequest: round((generator.user + generator.system) / 1000 / Math.max(1, answered)),
  };
}

const successPercent = (row) => round((100 * (row.requests - row.errors - row.other4xx - row.conflicts)) / Math.max(1, row.requests), 3);

async function headlineRun({ gateway, ids, tokens, system }) {
  const processes = { gateway: system.pidOf('gateway'), patient: system.pidOf('patient') };
  const requests = workloads('/api', ids, tokens)['GET by id'];
  // Warm-up: every seeded patient read once (cached), JIT; not measured.
  if (warmup > 0) await autocannon({ url: gateway, requests, connections, duration: warmup });
  const health = probe(`${gateway}/health/live`, 1000);
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuMs(pid)]));
  const choose = () => ({ method: 'GET', path: `/api/patients/${pick(ids)}` });
  const result = await paced({ base: gateway, choose, tokens, connections: Number(options['headline-connections']), rate: Number(options['headline-rate']), seconds: Number(options['headline-duration']) });
  const row = { work: 'GET by id, headline', target: 'gateway', ...result };
  row.cpuMsPerRequest = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, round((cpuMs(pid) - cpuBefore[name]) / Math.max(1, row.requests))]));
  row.successPercent = successPercent(row);
  row.health = await health.stop();
  console.log(`\nheadline: ${row.connections} connections offering ${row.offeredPerSecond} req/s in total for ${row.durationSeconds} s, GET by id through the gateway (3 users)`);
  console.log(`  ${row.requestsPerSecond} req/s answered   p50 ${row.p50} ms   p99 ${row.p99} ms   mean ${row.mean} ms   max ${row.max} ms   success ${row.successPercent} %`);
  console.log(`  errors ${row.errors} (of which resets ${row.resets}, timeouts ${row.timeouts}), statuses ${JSON.stringify(row.byStatus)}`);
  console.log(`  /health/live during it: ${row.health.ok}/${row.health.probes} ok, max ${row.health.max} ms; CPU ms/request: gateway ${row.cpuMsPerRequest.gateway}, patient ${row.cpuMsPerRequest.patient}, generator ${row.generatorCpuMsPerRequest}`);
  return { headline: row };
}

async function overloadRun({ gateway, ids, tokens, system }) {
  const processes = { gateway: system.pidOf('gateway'), patient: system.pidOf('patient') };
  const requests = workloads('/api', ids, tokens)['GET by id'];
  const capacity = await measure('GET by id, capacity', 'gateway', { url: gateway, requests, connections }, processes);
  const offered = Math.max(1, Math.round(2 * capacity.requestsPerSecond));
  const health = probe(`${gateway}/health/live`, 250);
  const choose = () => ({ method: 'GET', path: `/api/patients/${pick(ids)}` });
  const result = await paced({ base: gateway, choose, tokens, connections: Number(options['overload-connections']), rate: offered, seconds: Number(options['overload-duration']) });
  const healthDuring = await health.stop();
  // Recovery: single GETs from the moment the load stops, until one answers 200 in under 100 ms.
  const stopped = performance.now();
  let recoveredAfterMs = null;
  while (performance.now() - stopped < 10_000) {
    const started = performance.now();
    const response = await fetch(`${gateway}/api/patients/${ids[0]}`, { headers: { authorization: `Bearer ${tokens[0]}` }, signal: AbortSignal.timeout(5000) }).catch(() => null);
    if (response) await response.arrayBuffer();
    if (response?.status === 200 && performance.now() - started < 100) {
      recoveredAfterMs = round(performance.now() - stopped, 0);
      break;
    }
  }
  const row = { work: 'GET by id, overload', target: 'gateway', ...result, health: healthDuring, recoveredAfterMs };
  row.successPercent = successPercent(row);
  console.log(`\ncapacity: ${capacity.requestsPerSecond} req/s at ${connections} connections (p50 ${capacity.p50} ms, p99 ${capacity.p99} ms)`);
  console.log(`overload: ${row.connections} connections offering ${offered} req/s (2× capacity) for ${row.durationSeconds} s, GET by id through the gateway`);
  console.log(`  answered ${row.requestsPerSecond} req/s   p50 ${row.p50} ms   p99 ${row.p99} ms   max ${row.max} ms   success ${row.successPercent} %   statuses ${JSON.stringify(row.byStatus)}`);
  console.log(`  errors ${row.errors} (of which resets ${row.resets}, timeouts ${row.timeouts}); /health/live during it: ${healthDuring.ok}/${healthDuring.probes} ok, p50 ${healthDuring.p50} ms, max ${healthDuring.max} ms`);
  console.log(`  after the load stopped, a GET answered 200 in under 100 ms after ${recoveredAfterMs ?? 'more than 10000'} ms`);
  return { capacity, overload: row };
}

async function main() {
  ensureOpenFiles(options.headline ? Number(options['headline-connections']) * 2 + 1024 : options.overload ? Number(options['overload-connections']) * 2 + 1024 : 4096);
  const loadAverageBefore = loadavg().map((value) => round(value));
  console.log(`bench:load (${mode}); load average before: ${loadAverageBefore.join(' ')}`);
  const offset = Number(options.offset);
  // Every request counts against its user (and health probes against the address): no 429 in the run.
  const system = await startBenchSystem({
    suffix: SUFFIX,
    offset,
    env: { RATE_LIMIT_AUTHENTICATED_POINTS: '1000000', RATE_LIMIT_ANONYMOUS_POINTS: '1000000' },
  });
  try {
    seedPatients(`patient${SUFFIX}`, { count: Number(options.patients) });
    const ids = await withDatabase(`patient${SUFFIX}`, async (client) => (await client.query('SELECT id FROM patients WHERE deleted_at IS NULL LIMIT 200')).rows.map((row) => row.id));
    const gateway = `http://127.0.0.1:${system.ports.gateway}`;
    const tokens = [];
    for (const email of USERS) tokens.push(await login(gateway, email));
    const context = {
      system,
      gateway,
      service: `http://127.0.0.1:${system.ports.patient}`,
      billing: { grpc: `127.0.0.1:${system.ports.billingGrpc}`, rest: `http://127.0.0.1:${system.ports.billing}` },
      ids,
      tokens,
    };
    const run = options.headline ? headlineRun : options.overload ? overloadRun : defaultRun;
    const figuresOfRun = await run(context);
    const report = { at: new Date().toISOString(), mode, loadAverageBefore, options, patients: Number(options.patients), ...figuresOfRun };
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written to ${out}`);
  } finally {
    await system.stop();
  }
}

main().catch((error) => {
  console.error(`bench:load failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
