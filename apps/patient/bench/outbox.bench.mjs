// Patient creates through the transactional outbox, and the drain after a Kafka outage.
//   npm run build && npm run bench:outbox -- [--count 2000] [--concurrency 16]
// Starts its own private Kafka broker (port 29192), billing and patient (ports +21000, databases
// *_bench_outbox), so nothing else is disturbed, then:
//   1. `count` creates with Kafka up: creates per second, latency p50/p99, time until the outbox
//      is empty after the last answer;
//   2. Kafka stopped, `count` more creates (throughput while it is down), Kafka started again:
//      time from the broker being ready until the outbox is empty and until the last event is on
//      the topic (read back by a consumer).
// Prints numbers only, never patient data.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PrivateKafkaBroker } from '../../../infrastructure/local/kafka-broker.mjs';
import { ServiceProcess } from '../../../infrastructure/local/service-process.mjs';
import { serviceEnvironments, servicePorts } from '../../../infrastructure/local/services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);
const pg = require(join(root, 'node_modules', 'pg'));
const { KafkaTopicProbe, TestTokenIssuer, recreateDatabase } = require(join(root, 'dist', 'libs', 'testing', 'src', 'index.js'));

const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const OFFSET = 21000;
const ports = servicePorts(OFFSET);
const patientUrl = `http://127.0.0.1:${ports.patient}`;

const broker = new PrivateKafkaBroker({ port: 29192, name: 'kafka-outbox-bench' });
const issuer = await TestTokenIssuer.start();
const token = await issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
const environments = serviceEnvironments({ offset: OFFSET, databaseSuffix: '_bench_outbox', groupSuffix: `-bench-outbox-${Date.now()}`, demoSeed: false });
const shared = { ...issuer.config, KAFKA_BROKERS: broker.brokers.join(','), LOG_LEVEL: 'warn' };
const patientDatabase = await recreateDatabase('patient_bench_outbox');
const billingDatabase = await recreateDatabase('billing_bench_outbox');
const billing = new ServiceProcess('billing', { ...environments.billing, ...shared, ...billingDatabase }, `http://127.0.0.1:${ports.billing}/health/ready`, 'bench-outbox');
const patient = new ServiceProcess('patient', { ...environments.patient, ...shared, ...patientDatabase }, `${patientUrl}/health/ready`, 'bench-outbox');
const db = new pg.Client({ host: patientDatabase.DB_HOST, port: Number(patientDatabase.DB_PORT), user: patientDatabase.DB_USER, database: 'patient_bench_outbox' });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
let serial = 0;

async function createMany(n) {
  const latencies = [];
  const ids = [];
  const started = performance.now();
  const worker = async () => {
    while (serial < n + createMany.done) {
      const i = ++serial;
      const born = new Date(Date.UTC(1930, 0, 1) + (i % 30_000) * 86_400_000).toISOString().slice(0, 10);
      const body = { name: `Bench Patient ${i}`, email: `bench.${i}.${process.pid}@example.com`, address: `${i} Bench Street`, dateOfBirth: born, registeredDate: '2026-01-02' };
      const t = performance.now();
      const response = await fetch(`${patientUrl}/patients?confirmDuplicate=true`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      latencies.push(performance.now() - t);
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      ids.push((await response.json()).id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  createMany.done += n;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { ids, perSecond: n / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
createMany.done = 0;

async function untilOutboxEmpty(timeoutMs = 300_000) {
  const started = performance.now();
  for (;;) {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL');
    if (rows[0].n === 0) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${rows[0].n} events still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const line = (label, r) => `${label}: ${count} creates, concurrency ${concurrency}: ${r.perSecond.toFixed(0)}/s, latency p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms`;

try {
  await broker.start({ fresh: true });
  await billing.start();
  await patient.start();
  await db.connect();
  await createMany(Math.min(200, count)); // warm-up
  await untilOutboxEmpty();

  const up = await createMany(count);
  const drainedUp = await untilOutboxEmpty();
  console.log(line('Kafka up  ', up));
  console.log(`           outbox empty ${drainedUp.toFixed(0)} ms after the last answer`);

  await broker.stop();
  const down = await createMany(count);
  console.log(line('Kafka down', down));
  const { rows } = await db.query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL');
  const brokerStartMs = await broker.start();
  const back = performance.now();
  const probe = await new KafkaTopicProbe(['patient'], broker.brokers.join(',')).start();
  const drained = await untilOutboxEmpty();
  const wanted = new Set(down.ids);
  while (probe.messages.filter((m) => wanted.has(m.key)).length < wanted.size) await new Promise((resolve) => setTimeout(resolve, 20));
  const onTopic = performance.now() - back;
  await probe.stop();
  console.log(`Drain after Kafka returned (broker start ${brokerStartMs} ms): ${rows[0].n} pending events; outbox empty after ${drained.toFixed(0)} ms, all ${wanted.size} PATIENT_CREATED on the topic after ${onTopic.toFixed(0)} ms`);
} finally {
  await patient.stop();
  await billing.stop();
  await db.end().catch(() => {});
  await issuer.stop();
  await broker.stop();
}
