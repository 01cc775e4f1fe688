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
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { cpuMs, login, seedPatients, startBenchSystem, withDatabase } from '../../../infrastructure/local/bench-system.mjs';
import { ROOT, silenceKafkajsTimeoutWarning } from '../../../infrastructure/local/infra.mjs';

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

/** The seeded patient: a fresh database holds one patient with seeded entries. */
function seedChartPatient() {
  seedPatients(`patient${SUFFIX}`, { count: 1, clinical: options.clinical });
  return withDatabase(`patient${SUFFIX}`, async (client) => {
    const { rows } = await client.query("SELECT patient_id FROM clinical_entries WHERE recorded_by = 'seed-patients' LIMIT 1");
    return rows[0].patient_id;
  });
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
  // Every request of the run counts against the doctor: the gateway must not stop it with 429.
  const system = await startBenchSystem({ suffix: SUFFIX, offset: Number(options.offset), env: { RATE_LIMIT_AUTHENTICATED_POINTS: '1000000' } });
  try {
    const patientId = await seedChartPatient();
    const gateway = `http://127.0.0.1:${system.ports.gateway}`;
    const token = await login(gateway, 'doctor@test.com');
    const chart = await (await fetch(`${gateway}/api/patients/${patientId}/record`, { headers: { authorization: `Bearer ${token}` } })).json();
    const shown = ['allergies', 'conditions', 'medications', 'vitals', 'notes'].map((kind) => `${kind} ${chart[kind].length}`).join(', ');
    console.log(`chart of a patient with ${options.clinical} entries of every kind: ${shown}`);
    const processes = { gateway: system.pidOf('gateway'), patient: system.pidOf('patient') };
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
  }
}

main().catch((error) => {
  console.error(`bench:chart failed: ${error.message}`);
  process.exit(1);
});
