// What the audit trail costs a read: GET /patients/{id} (served from the Redis cache, the fastest
// read, where any added cost shows most) with the real audit trail, and with the trail replaced by
// one that records nothing, in alternating rounds on the same database, Redis and machine.
//   npm run build && npm run bench:audit -- [--requests 500] [--rounds 3]
// Boots the built patient app in this process (fresh database patient_bench_audit). Prints the
// median and p99 of each variant and the difference of the medians; never prints patient data.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'dist', path));
const { Test } = require(join(root, 'node_modules', '@nestjs', 'testing'));
const { TestTokenIssuer, recreateDatabase } = dist('libs/testing/src/index.js');
const { loadConfig } = dist('libs/platform/src/config/index.js');
const { AppModule } = dist('apps/patient/src/app.module.js');
const { patientConfigSchema } = dist('apps/patient/src/config/patient.config.js');
const { AuditTrail } = dist('apps/patient/src/audit/audit-trail.js');

const { values } = parseArgs({ options: { requests: { type: 'string', default: '500' }, rounds: { type: 'string', default: '3' } } });
const requests = Number(values.requests);
const rounds = Number(values.rounds);

const issuer = await TestTokenIssuer.start();
const token = await issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
const database = await recreateDatabase('patient_bench_audit');
const config = loadConfig(patientConfigSchema, 'patient', {
  ...process.env,
  ...database,
  ...issuer.config,
  HTTP_PORT: '1',
  LOG_LEVEL: 'silent',
  // No billing peer: registration queues the account request; reads never call billing.
  BILLING_GRPC_URL: '127.0.0.1:1',
});

/** The trail that records nothing: the baseline a real trail is compared with. */
const silentTrail = { record() {}, flush: async () => {}, pending: 0, beforeApplicationShutdown: async () => {}, onApplicationShutdown: async () => {} };

async function boot(withAudit) {
  let builder = Test.createTestingModule({ imports: [AppModule.register(config)] });
  if (!withAudit) builder = builder.overrideProvider(AuditTrail).useValue(silentTrail);
  const app = (await builder.compile()).createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

const send = (url, method, path, body) =>
  fetch(`${url}${path}`, { method, headers: { authorization: token, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });

// Patients to read, made once through the real app.
const ids = [];
{
  const { app, url } = await boot(true);
  for (let i = 0; i < 50; i++) {
    const born = new Date(Date.UTC(1950, 0, 1 + i * 3)).toISOString().slice(0, 10);
    const response = await send(url, 'POST', '/patients?confirmDuplicate=true', { name: `Audit Bench ${i}`, email: `audit.bench.${i}.${Date.now()}@example.com`, address: `${i} Ledger Lane`, dateOfBirth: born, registeredDate: '2026-01-02' });
    if (response.status !== 201) throw new Error(`create answered ${response.status}`);
    ids.push((await response.json()).id);
  }
  await app.close();
}

async function measure(withAudit) {
  const { app, url } = await boot(withAudit);
  for (const id of ids) await (await send(url, 'GET', `/patients/${id}`)).arrayBuffer(); // warm cache and connections
  const samples = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const response = await send(url, 'GET', `/patients/${ids[i % ids.length]}`);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`read answered ${response.status}`);
  }
  await app.close(); // the real trail writes everything queued here
  return samples;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const results = { audited: [], silent: [] };
for (let round = 0; round < rounds; round++) {
  results.audited.push(...(await measure(true)));
  results.silent.push(...(await measure(false)));
}
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};
const audited = stats(results.audited);
const silent = stats(results.silent);
console.log(`GET /patients/{id} (cached), ${rounds} alternating rounds of ${requests} sequential reads`);
console.log(`  with the audit trail     p50 ${audited.p50.toFixed(2)} ms  p99 ${audited.p99.toFixed(2)} ms`);
console.log(`  audit trail recording nothing  p50 ${silent.p50.toFixed(2)} ms  p99 ${silent.p99.toFixed(2)} ms`);
console.log(`  audit cost at the median: ${(audited.p50 - silent.p50).toFixed(2)} ms`);
const { rows } = await (async () => {
  const pg = require(join(root, 'node_modules', 'pg'));
  const client = new pg.Client({ host: database.DB_HOST, port: Number(database.DB_PORT), user: database.DB_USER, database: 'patient_bench_audit' });
  await client.connect();
  try {
    return await client.query("SELECT count(*)::int AS n FROM audit_entries WHERE action = 'READ'");
  } finally {
    await client.end();
  }
})();
console.log(`  READ entries written: ${rows[0].n} (expected ${rounds * (requests + ids.length)})`);
await issuer.stop();
