import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@pm/platform';
import { decodePatientEvent } from '@pm/contracts';
import { KafkaTopicProbe, recreateDatabase } from '@pm/testing';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { patientConfigSchema } from '../config/patient.config';
import { BillingTestServer } from '../testing/billing-test-server';
import { ClinicalService } from '../clinical/clinical.service';
import { RecordsService } from '../patients/records/records.service';
import { loadDemoPatients } from './demo-patients';

jest.setTimeout(90_000);

const BILLING_DEADLINE_MS = 1000;

describe('demo seeding (real PostgreSQL, Kafka and a real gRPC billing peer)', () => {
  const demoPatients = loadDemoPatients();
  const demoIds = demoPatients.map((p) => p.id).sort();
  let database: Record<string, string>;
  let billing: BillingTestServer;
  let probe: KafkaTopicProbe;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    billing = await new BillingTestServer().start();
    probe = await new KafkaTopicProbe(['patient']).start();
    database = await recreateDatabase('patient_int_seed');
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await probe?.stop();
    await billing?.stop();
  });

  async function boot(billingUrl = billing.url): Promise<INestApplication> {
    const config = loadConfig(patientConfigSchema, 'patient', {
      ...database,
      HTTP_PORT: '1',
      LOG_LEVEL: 'silent',
      DEMO_SEED: 'true',
      BILLING_GRPC_URL: billingUrl,
      BILLING_GRPC_DEADLINE_MS: String(BILLING_DEADLINE_MS),
      // Delivered outbox rows are kept: the tests read what seeding recorded.
      OUTBOX_RETENTION_SECONDS: '3600',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  }

  const storedIds = async (nest: INestApplication): Promise<string[]> =>
    (await nest.get(DataSource).query('SELECT id FROM patients ORDER BY id')).map((row: { id: string }) => row.id);

  it('has the 15 patients of the contract', () => {
    expect(demoPatients).toHaveLength(15);
    expect(demoPatients[0]).toEqual({
      id: '123e4567-e89b-12d3-a456-426614174000',
      name: 'John Doe',
      email: 'john.doe@example.com',
      address: '123 Main St, Springfield',
      dateOfBirth: '1985-06-15',
      registeredDate: '2024-01-10',
    });
  });

  it('inserts the demo patients with their ids, opens their accounts and announces them', async () => {
    const startedAt = Date.now();
    const nest = await boot();

    expect(await storedIds(nest)).toEqual(demoIds);
    const [john] = await nest
      .get(DataSource)
      .query(`SELECT name, email, date_of_birth AS dob FROM patients WHERE id = $1`, [demoIds[0]]);
    // The birth date is stored encrypted; the service reads it back in clear.
    expect(john).toEqual({ name: 'John Doe', email: 'john.doe@example.com', dob: expect.stringMatching(/^v1:dev:/) });
    expect((await nest.get(RecordsService).get(demoIds[0])).dateOfBirth).toBe('1985-06-15');

    expect(billing.calls.map((c) => c.request.patientId).sort()).toEqual(demoIds);
    // Announced through the outbox, in the seeding transactions: one recorded event per patient.
    const recorded = await nest.get(DataSource).query(`SELECT message_key FROM outbox_events WHERE topic = 'patient' ORDER BY message_key`);
    expect(recorded.map((row: { message_key: string }) => row.message_key)).toEqual(demoIds);
    for (const { id, name, email } of demoPatients) {
      const message = await probe.waitFor(
        (m) => m.key === id && decodePatientEvent(m.value!).occurred_at >= startedAt && decodePatientEvent(m.value!).event_type === 'PATIENT_CREATED',
      );
      expect(decodePatientEvent(message.value!)).toMatchObject({ patientId: id, name, email });
    }
  });

  it('gives each demo patient a clinical history its chart shows', async () => {
    const nest = await boot();
    const counts: { patient_id: string; kinds: string[] }[] = await nest
      .get(DataSource)
      .query('SELECT patient_id, array_agg(DISTINCT kind ORDER BY kind) AS kinds FROM clinical_entries GROUP BY patient_id ORDER BY patient_id');
    expect(counts).toEqual(demoIds.map((id) => ({ patient_id: id, kinds: ['allergies', 'conditions', 'medications', 'notes', 'vitals'] })));
    const chart = await nest.get(ClinicalService).chart(demoIds[0], { userId: randomUUID(), role: 'DOCTOR' });
    expect(chart.vitals).toHaveLength(6);
    expect(chart.notes).toHaveLength(2);
    expect(chart.allergies.length).toBeGreaterThan(0);
  });

  it('changes nothing when started again', async () => {
    const callsBefore = billing.calls.length;
    const [{ entries: entriesBefore }] = await (await boot()).get(DataSource).query('SELECT count(*)::int AS entries FROM clinical_entries');
    await app!.close();
    const nest = await boot();

    expect(await storedIds(nest)).toEqual(demoIds);
    expect(billing.calls.length).toBe(callsBefore);
    const [{ count }] = await nest.get(DataSource).query('SELECT count(*)::int AS count FROM outbox_events');
    expect(count).toBe(demoIds.length);
    const [{ entries }] = await nest.get(DataSource).query('SELECT count(*)::int AS entries FROM clinical_entries');
    expect(entries).toBe(entriesBefore);
  });

  it('adds back only the missing demo patients, and does not hang when billing does not answer', async () => {
    const first = await boot();
    const missing = demoIds.slice(0, 2);
    // As if they had never been added: their clinical history goes too, which only bypassing the
    // tables' keep-everything triggers (replica mode) can do.
    await first.get(DataSource).transaction(async (tx) => {
      await tx.query('SET LOCAL session_replication_role = replica');
      await tx.query('DELETE FROM clinical_entry_versions WHERE entry_id IN (SELECT id FROM clinical_entries WHERE patient_id = ANY($1))', [missing]);
      await tx.query('DELETE FROM clinical_entries WHERE patient_id = ANY($1)', [missing]);
      await tx.query('DELETE FROM patients WHERE id = ANY($1)', [missing]);
    });
    await first.close();
    app = undefined;
    const callsBefore = billing.calls.length;
    billing.hang = true;

    const started = Date.now();
    const nest = await boot();
    const elapsed = Date.now() - started;
    billing.hang = false;

    expect(elapsed).toBeLessThan(BILLING_DEADLINE_MS + 5000);
    expect(await storedIds(nest)).toEqual(demoIds);
    expect(billing.calls.slice(callsBefore).map((c) => c.request.patientId).sort()).toEqual(missing);
  });
});
