import { decodePatientEvent, encodeBillingAccountEvent } from '@pm/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaTopicProbe, TestTokenIssuer, recreateDatabase, waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { PrivateKafkaBroker } from '../infrastructure/local/kafka-broker.mjs';
import { serviceEnvironments, servicePorts } from '../infrastructure/local/services.mjs';
import { ServiceProcess } from '../infrastructure/local/service-process.mjs';

/**
 * Outages of the real parts under the patient service, on built services as their own processes:
 * a private Kafka broker (stopped, killed and started again without touching the shared one),
 * the billing service stopped, and the patient service killed between commit and publish, right
 * after a registration's commit, and under a load of audited reads.
 * Ports +20000, databases *_outage.
 */
jest.setTimeout(300_000);

const OFFSET = 20000;
const ports = servicePorts(OFFSET);
const patientUrl = `http://127.0.0.1:${ports.patient}`;
// "Promptly": far below the Kafka and gRPC timeouts a blocked create would wait for.
const PROMPT_MS = 2000;
// How long a registration's billing request waits for gRPC before it goes on billing-account.
const QUEUE_AFTER_MS = 3000;

const broker = new PrivateKafkaBroker({ port: 29092, name: 'kafka-outages-e2e' });
let issuer: TestTokenIssuer;
let token: string;
let patient: ServiceProcess;
let patientEnvironment: Record<string, string>;
let billing: ServiceProcess;
let billingDb: Client;
let patientDb: Client;
const run = randomUUID().slice(0, 8);
let serial = 0;

beforeAll(async () => {
  await broker.start({ fresh: true });
  issuer = await TestTokenIssuer.start();
  token = await issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
  const environments = serviceEnvironments({ offset: OFFSET, databaseSuffix: '_outage', groupSuffix: `-outage-${run}`, demoSeed: false });
  const shared = { ...issuer.config, KAFKA_BROKERS: broker.brokers.join(','), LOG_LEVEL: 'info' };
  const patientDatabase = await recreateDatabase('patient_outage');
  const billingDatabase = await recreateDatabase('billing_outage');
  billing = new ServiceProcess('billing', { ...environments.billing, ...shared, ...billingDatabase }, `http://127.0.0.1:${ports.billing}/health/ready`, 'outages');
  patientEnvironment = { ...environments.patient, ...shared, ...patientDatabase, BILLING_ACCOUNT_QUEUE_AFTER_MS: String(QUEUE_AFTER_MS) };
  patient = new ServiceProcess('patient', patientEnvironment, `${patientUrl}/health/ready`, 'outages');
  await billing.start();
  await patient.start();
  billingDb = new Client({ host: billingDatabase.DB_HOST, port: Number(billingDatabase.DB_PORT), user: billingDatabase.DB_USER, database: billingDatabase.DB_NAME });
  patientDb = new Client({ host: patientDatabase.DB_HOST, port: Number(patientDatabase.DB_PORT), user: patientDatabase.DB_USER, database: patientDatabase.DB_NAME });
  await billingDb.connect();
  await patientDb.connect();
});

afterAll(async () => {
  await patient?.stop();
  await billing?.stop();
  await billingDb?.end();
  await patientDb?.end();
  await issuer?.stop();
  await broker.stop();
});

function details() {
  serial += 1;
  // Distinct birth dates, so no create looks like a likely duplicate of another.
  const born = new Date(Date.UTC(1940, 0, 1) + serial * 86_400_000 * 17).toISOString().slice(0, 10);
  return { name: `Outage Patient ${run} ${serial}`, email: `outage.${run}.${serial}@example.com`, address: `${serial} Outage Road`, dateOfBirth: born };
}

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${patientUrl}${path}`, {
    method,
    headers: { authorization: token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, ms: performance.now() - started };
}

async function create(): Promise<{ id: string; ms: number; details: ReturnType<typeof details> }> {
  const body = details();
  const created = await send('POST', '/patients', { ...body, registeredDate: '2026-01-02' });
  expect(created.status).toBe(201);
  return { id: created.body.id, ms: created.ms, details: body };
}

/** The event types the patient topic holds for each of `ids`, in topic order. */
async function eventsOnTopic(ids: string[], expectedPerPatient: number, timeoutMs = 90_000): Promise<{ byPatient: Map<string, string[]>; waitedMs: number }> {
  const started = Date.now();
  const probe = await new KafkaTopicProbe(['patient'], broker.brokers.join(',')).start();
  try {
    const wanted = new Set(ids);
    const byPatient = () => {
      const seen = new Map<string, string[]>(ids.map((id) => [id, []]));
      for (const message of probe.messages) {
        if (message.key && wanted.has(message.key)) seen.get(message.key)!.push(decodePatientEvent(message.value!).event_type);
      }
      return seen;
    };
    await waitFor(() => [...byPatient().values()].every((types) => types.length >= expectedPerPatient), {
      timeoutMs,
      intervalMs: 20,
      description: `${expectedPerPatient} event(s) for each of ${ids.length} patients`,
    });
    return { byPatient: byPatient(), waitedMs: Date.now() - started };
  } finally {
    await probe.stop();
  }
}

describe('the patient service when Kafka, billing or the service itself goes down', () => {
  it('answers creates and updates promptly while Kafka is stopped, and every event arrives in order once it is back', async () => {
    await broker.stop();
    const created = [];
    for (let i = 0; i < 10; i++) created.push(await create());
    const updates = [];
    for (const { id, details: body } of created) {
      updates.push(await send('PUT', `/patients/${id}`, { ...body, name: `${body.name} Renamed` }));
    }
    expect(updates.map((u) => u.status)).toEqual(created.map(() => 200));
    expect(Math.max(...created.map((c) => c.ms), ...updates.map((u) => u.ms))).toBeLessThan(PROMPT_MS);
    const pending = await patientDb.query("SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL AND topic = 'patient'");
    expect(pending.rows[0].n).toBeGreaterThanOrEqual(20);

    const brokerMs = await broker.start();
    const { byPatient, waitedMs } = await eventsOnTopic(created.map((c) => c.id), 2);
    for (const types of byPatient.values()) expect(types).toEqual(['PATIENT_CREATED', 'PATIENT_UPDATED']);
    process.stdout.write(`outbox drain: ${created.length * 2} events on the patient topic ${waitedMs} ms after Kafka was back (broker start ${brokerMs} ms)\n`);
  });

  it('loses nothing when the patient service is killed between commit and publish', async () => {
    // Kafka stopped so the relay cannot publish; the service is then killed with the events committed.
    await broker.stop();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await create());
    await patient.kill();
    await broker.start();
    await patient.start();
    const { byPatient } = await eventsOnTopic(created.map((c) => c.id), 1);
    for (const types of byPatient.values()) expect(types[0]).toBe('PATIENT_CREATED');
  });

  it('loses nothing when the service is killed in the middle of a burst of creates with Kafka up', async () => {
    const attempts = Array.from({ length: 30 }, () => send('POST', '/patients', { ...details(), registeredDate: '2026-01-02' }).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await patient.kill();
    await Promise.all(attempts);
    await patient.start();
    // Every patient that was committed (answered or not) has its event, whatever the answer said.
    const committed = await patientDb.query<{ id: string }>('SELECT id FROM patients WHERE email LIKE $1', [`outage.${run}.%`]);
    const { byPatient } = await eventsOnTopic(committed.rows.map((row) => row.id), 1);
    expect([...byPatient.values()].every((types) => types[0] === 'PATIENT_CREATED')).toBe(true);
  });

  it('opens exactly one billing account when the service is killed right after a registration commits, before billing confirms', async () => {
    // Billing's gRPC address answers nothing (connections accepted, never spoken to): the call
    // cannot confirm, and the service is killed while it waits, the patient committed.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    await patient.stop();
    const stuck = new ServiceProcess(
      'patient',
      { ...patientEnvironment, BILLING_GRPC_URL: `127.0.0.1:${silentPort}`, BILLING_GRPC_DEADLINE_MS: '30000' },
      `${patientUrl}/health/ready`,
      'outages',
    );
    try {
      await stuck.start();
      const body = details();
      const answer = send('POST', '/patients', { ...body, registeredDate: '2026-01-02' }).catch(() => undefined);
      const committed = await waitFor(async () => (await patientDb.query<{ id: string }>('SELECT id FROM patients WHERE email = $1', [body.email])).rows[0], {
        timeoutMs: 10_000,
        intervalMs: 5,
        description: 'the registration to commit',
      });
      await stuck.kill();
      expect(await answer).toBeUndefined();
      const accounts = () => billingDb.query('SELECT 1 FROM billing_accounts WHERE patient_id = $1', [committed.id]);
      expect((await accounts()).rowCount).toBe(0);

      await patient.start();
      await waitFor(async () => (await accounts()).rowCount === 1, { timeoutMs: 60_000, description: 'billing to open the account' });
      // A later delivery of the request must not open a second one.
      await new Promise((resolve) => setTimeout(resolve, QUEUE_AFTER_MS));
      expect((await accounts()).rowCount).toBe(1);
      const left = await patientDb.query("SELECT count(*)::int AS n FROM outbox_events WHERE topic = 'billing-account' AND message_key = $1", [committed.id]);
      expect(left.rows[0].n).toBe(0);
    } finally {
      await stuck.kill();
      silent.close();
    }
  });

  it('loses no audit entry of an answered request when the service is killed under concurrent reads', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create()).id);
    const answered: string[] = [];
    let stopping = false;
    const reader = async (worker: number) => {
      for (let n = 0; !stopping; n++) {
        const requestId = `audit-kill-${run}-${worker}-${n}`;
        try {
          const response = await fetch(`${patientUrl}/patients/${ids[n % ids.length]}`, {
            headers: { authorization: token, 'x-request-id': requestId },
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          if (response.status === 200) answered.push(response.headers.get('x-request-id') ?? requestId);
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const readers = Array.from({ length: 16 }, (_, worker) => reader(worker));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await patient.kill();
    stopping = true;
    await Promise.all(readers);
    await patient.start();

    expect(answered.length).toBeGreaterThan(50);
    const { rows } = await patientDb.query<{ request_id: string }>(
      "SELECT request_id FROM audit_entries WHERE action = 'READ' AND request_id = ANY($1)",
      [answered],
    );
    const written = new Set(rows.map((row) => row.request_id));
    expect(answered.filter((id) => !written.has(id))).toEqual([]);
    process.stdout.write(`audit under a kill: ${answered.length} reads answered 200, every one with its entry\n`);
  });

  it("lets billing's consumers recover by themselves from the Kafka restarts above", async () => {
    const patientId = randomUUID();
    const producer = new Kafka({ clientId: 'outages-e2e', brokers: broker.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    try {
      const request = { patientId, name: 'Queued Request', email: `queued.${run}@example.com`, event_type: 'BILLING_ACCOUNT_CREATE_REQUESTED', event_id: randomUUID(), occurred_at: Date.now() };
      await producer.send({ topic: 'billing-account', messages: [{ key: patientId, value: encodeBillingAccountEvent(request) }] });
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await billingDb.query('SELECT 1 FROM billing_accounts WHERE patient_id = $1', [patientId])).rowCount === 1, {
      timeoutMs: 60_000,
      description: 'billing to open the queued account without a restart',
    });
  });

  it('registers promptly while billing is stopped, and billing opens exactly one account for each when it returns', async () => {
    await billing.stop();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await create());
    expect(Math.max(...created.map((c) => c.ms))).toBeLessThan(PROMPT_MS);
    const ids = created.map((c) => c.id);
    const accounts = () => billingDb.query<{ patient_id: string; n: number }>('SELECT patient_id, count(*)::int AS n FROM billing_accounts WHERE patient_id = ANY($1) GROUP BY patient_id', [ids]);
    expect((await accounts()).rows).toEqual([]);

    await billing.start();
    await waitFor(async () => (await accounts()).rows.length === ids.length, { timeoutMs: 60_000, description: 'an account for each patient' });
    // Later deliveries (a retry, the relay's next pass) must not open a second one.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await accounts()).rows.map((row) => row.n)).toEqual(ids.map(() => 1));
  });
});
