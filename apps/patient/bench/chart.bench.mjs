// The chart in one call under load: GET /patients/{id}/record of a patient with 50 entries of
// every kind (seed:patients --clinical), at 10 connections through the gateway and then straight
// at the patient service, in one run.
//
//   npm run bench:chart -- [--clinical 50] [--connections 10] [--duration 10] [--offset 20000]
//     [--out .cache/bench-chart.json]
//
// Starts its own copy of the system (built; ports shifted by --offset, fresh *_bench_chart
// databases, demo users), seeds one patient into it, measures with autocannon, stops the copy.
// Prints req/s, p50, p99, errors and the CPU the gateway and patient processes spent per request
// (Linux) for each target, and writes them as JSON; never prints patient data. Target (issue 12): p99 under 20 ms through the gateway.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT, ensureInfrastructure, silenceKafkajsTimeoutWarning, stopInfrastructure } from '../../../infrastructure/local/infra.mjs';
import { SERVICES } from '../../../infrastructure/local/services.mjs';
import { startSystem } from '../../../infrastructure/local/system.mjs';

silenceKafkajsTimeoutWarning();

const { values: options } = parseArgs({
  options: {
    clinical: { type: 'string', default: '50' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    offset: { type: 'string', default: '20000' },
    out: { type: 'string', default: join(ROOT, '.cache', 'bench-chart.json') },
  },
});
const SUFFIX = '_bench_chart';
const databases = SERVICES.filter((s) => s !== 'gateway').map((s) => `${s}${SUFFIX}`);
const pgConfig = (database) => ({
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD || undefined,
  database,
});

async function withDatabase(database, work) {
  const client = new pg.Client(pgConfig(database));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The seeded patient: a fresh database holds one patient with seeded entries. */
function seedChartPatient() {
  const seeded = spawnSync(
    process.execPath,
    [join(ROOT, 'dist', 'apps', 'patient', 'src', 'seed', 'seed-patients.js'), '--count', '1', '--clinical', options.clinical, '--database', `patient${SUFFIX}`],
    { cwd: ROOT, stdio: 'inherit', env: process.env },
  );
  if (seeded.status !== 0) throw new Error('seed:patients failed');
  return withDatabase(`patient${SUFFIX}`, async (client) => {
    const { rows } = await client.query("SELECT patient_id FROM clinical_entries WHERE recorded_by = 'seed-patients' LIMIT 1");
    return rows[0].patient_id;
  });
}

async function login(gateway) {
  const response = await fetch(`${gateway}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'doctor@test.com', password: 'password123' }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  return (await response.json()).token;
}

/**
 * CPU time a process has used, in ms (Linux /proc; null elsewhere). Unlike latency it barely
 * depends on what else runs on the machine, so it tells the service's own cost per request.
 */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime (fields 14 and 15 of stat), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** autocannon at `url`; the figures the report keeps (latencies in ms), with the CPU each service process used per request. */
async function load(name, url, token, processes) {
  const headers = { authorization: `Bearer ${token}` };
  // Warm-up: connections, JIT, plans and caches, not measured.
  await autocannon({ url, headers, connections: Number(options.connections), duration: 2 });
  const cpuBefore = Object.fromEntries(Object.entries(processes).map(([service, pid]) => [service, cpuMs(pid)]));
  const result = await autocannon({ url, headers, connections: Number(options.connections), duration: Number(options.duration) });
  const cpuPerRequest = Object.fromEntries(
    Object.entries(processes).map(([service, pid]) => {
      const used = cpuMs(pid);
      return [service, used === null || cpuBefore[service] === null ? null : Number(((used - cpuBefore[service]) / result.requests.total).toFixed(2))];
    }),
  );
  return {
    target: name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuMsPerRequest: cpuPerRequest,
  };
}

async function main() {
  await withDatabase('postgres', async (client) => {
    for (const name of databases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  const infrastructure = await ensureInfrastructure({ databases, log: (line) => console.log(`  ${line}`) });
  // Every request of the run counts against the doctor: the gateway must not stop it with 429.
  process.env.RATE_LIMIT_AUTHENTICATED_POINTS = '1000000';
  const system = await startSystem({ offset: Number(options.offset), databaseSuffix: SUFFIX, groupSuffix: `-bench-chart-${Date.now()}` });
  try {
    const patientId = await seedChartPatient();
    const gateway = `http://127.0.0.1:${system.ports.gateway}`;
    const token = await login(gateway);
    const chart = await (await fetch(`${gateway}/api/patients/${patientId}/record`, { headers: { authorization: `Bearer ${token}` } })).json();
    const shown = ['allergies', 'conditions', 'medications', 'vitals', 'notes'].map((kind) => `${kind} ${chart[kind].length}`).join(', ');
    console.log(`chart of a patient with ${options.clinical} entries of every kind: ${shown}`);
    const processes = { gateway: system.children.get('gateway').child.pid, patient: system.children.get('patient').child.pid };
    const results = [
      await load('gateway', `${gateway}/api/patients/${patientId}/record`, token, processes),
      await load('patient service', `http://127.0.0.1:${system.ports.patient}/patients/${patientId}/record`, token, processes),
    ];
    console.log(`${options.connections} connections, ${options.duration} s each, after a 2 s warm-up`);
    for (const r of results) {
      const cpu = Object.entries(r.cpuMsPerRequest).map(([service, ms]) => `${service} ${ms ?? '?'}`).join(', ');
      console.log(`  ${r.target.padEnd(16)} ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   max ${r.max} ms   errors ${r.errors}/${r.requests}   CPU ms a request: ${cpu}`);
    }
    const report = { at: new Date().toISOString(), clinicalPerKind: Number(options.clinical), connections: Number(options.connections), durationSeconds: Number(options.duration), results };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written to ${options.out}`);
  } finally {
    await system.stop();
    if (infrastructure.started.length > 0) await stopInfrastructure({ only: infrastructure.started });
  }
}

main().catch((error) => {
  console.error(`bench:chart failed: ${error.message}`);
  process.exit(1);
});
