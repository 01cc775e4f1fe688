import { INestApplication } from '@nestjs/common';
import { buildOpenApiDocument } from '@pm/platform';
import { PatientEvent, PatientEventType, Topics, encodeAppointmentEvent, encodeBillingEvent, encodePatientEvent } from '@pm/contracts';
import { itHonoursTokenRevocation, itAnswersEveryCaller } from '@pm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { useAnalyticsHarness, waitUntilProcessed as waitUntilApplied } from '../testing/analytics-int-env';

type Summary = { total: number; createdToday: number; updatedToday: number; deletedToday: number };

const CATCH_UP_MS = 120_000;
const APPLY_MS = 30_000;

/**
 * Real PostgreSQL and Kafka. The `patient` topic is shared with other tests and the running
 * system, so each scenario measures the summary between two moments when nothing but its own
 * events was applied (no other row in processed_events), and runs again otherwise.
 */
describe('patient analytics from the patient topic (real PostgreSQL and Kafka)', () => {
  const harness = useAnalyticsHarness('patients');
  let app: INestApplication;

  // A new group each run: it reads the topic's whole history, like a fresh deployment.
  const newGroup = () => ({ KAFKA_CONSUMER_GROUP: `analytics-int-test-${randomUUID()}` });

  const summaryAs = (authorization: string | null, url = harness.baseUrl) =>
    fetch(`${url}/analytics/patients/summary`, { headers: authorization ? { authorization } : {} });

  const newEvent = (eventType: PatientEventType, patientId = randomUUID(), overrides: Partial<PatientEvent> = {}): PatientEvent => ({
    patientId,
    name: 'Test Patient',
    email: `${patientId}@example.com`,
    event_type: eventType,
    event_id: randomUUID(),
    occurred_at: Date.now(),
    ...overrides,
  });

  const produce = async (...events: PatientEvent[]) => {
    const [sent] = await harness.producer.send({
      topic: Topics.patient,
      acks: -1,
      messages: events.map((e) => ({ key: e.patientId, value: encodePatientEvent(e) })),
    });
    return sent;
  };

  const processedCount = async (): Promise<number> =>
    (await harness.dataSource.query('SELECT count(*)::int AS n FROM processed_events'))[0].n;

  const waitUntilProcessed = (ids: string[], timeoutMs = APPLY_MS) => waitUntilApplied(harness.dataSource, ids, timeoutMs);

  const getSummary = async (): Promise<Summary> => {
    const response = await summaryAs(harness.analyst);
    expect(response.status).toBe(200);
    return (await response.json()) as Summary;
  };

  const undecodableMetric = async (): Promise<number> => {
    const text = await (await fetch(`${harness.baseUrl}/metrics`)).text();
    const match = /^analytics_undecodable_events_total\{[^}]*topic="patient"[^}]*\} (\d+)$/m.exec(text);
    return match ? Number(match[1]) : 0;
  };

  /** The summary at a moment when no event was being applied around the read. */
  const snapshot = async () => {
    for (;;) {
      const before = await processedCount();
      const summary = await getSummary();
      if ((await processedCount()) === before) return { processed: before, summary };
    }
  };

  /**
   * Runs a scenario that applies `applied` new events (waiting for `awaitIds`), and returns how
   * the summary changed; repeats when someone else's events were applied meanwhile.
   */
  const measure = async (scenario: () => Promise<{ applied: number; awaitIds: string[] }>): Promise<Summary> => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const before = await snapshot();
      const { applied, awaitIds } = await scenario();
      await waitUntilProcessed(awaitIds);
      const after = await snapshot();
      if (after.processed - before.processed === applied) {
        return {
          total: after.summary.total - before.summary.total,
          createdToday: after.summary.createdToday - before.summary.createdToday,
          updatedToday: after.summary.updatedToday - before.summary.updatedToday,
          deletedToday: after.summary.deletedToday - before.summary.deletedToday,
        };
      }
    }
    throw new Error('Other events kept arriving on the patient topic during every attempt');
  };

  beforeAll(async () => {
    app = await harness.bootApp(newGroup());
    const { kafka } = harness;

    // Caught up with the history once a marker sent to every partition after it has been applied.
    const admin = kafka.admin();
    await admin.connect();
    const [topic] = (await admin.fetchTopicMetadata({ topics: [Topics.patient] })).topics;
    await admin.disconnect();
    const markers = topic.partitions.map((p) => ({ partition: p.partitionId, event: newEvent('PATIENT_UPDATED') }));
    await harness.producer.send({
      topic: Topics.patient,
      acks: -1,
      messages: markers.map((m) => ({ partition: m.partition, key: m.event.patientId, value: encodePatientEvent(m.event) })),
    });
    // The same group reads appointment and billing: caught up there too, so their history does not
    // keep landing in processed_events while the scenarios measure.
    const otherMarkers: string[] = [];
    for (const partition of topic.partitions.map((p) => p.partitionId)) {
      const appointment = {
        event_id: randomUUID(), event_type: 'APPOINTMENT_SCHEDULED' as const, appointment_id: randomUUID(), patient_id: randomUUID(),
        doctor_id: '', start_time: Date.UTC(2999, 0, 1), end_time: Date.UTC(2999, 0, 1, 1), status: 'SCHEDULED', occurred_at: Date.now(),
      };
      const invoice = {
        event_id: randomUUID(), event_type: 'INVOICE_ISSUED' as const, invoice_id: randomUUID(), account_id: randomUUID(), patient_id: randomUUID(),
        appointment_id: '', amount_minor: 0, currency: 'EUR', invoice_total_minor: 0, invoice_paid_minor: 0, occurred_at: Date.UTC(2999, 0, 1), payment_id: '',
      };
      await harness.producer.send({ topic: Topics.appointment, acks: -1, messages: [{ partition, key: appointment.appointment_id, value: encodeAppointmentEvent(appointment) }] });
      await harness.producer.send({ topic: Topics.billing, acks: -1, messages: [{ partition, key: invoice.invoice_id, value: encodeBillingEvent(invoice) }] });
      otherMarkers.push(appointment.event_id, invoice.event_id);
    }
    await waitUntilProcessed([...markers.map((m) => m.event.event_id), ...otherMarkers], CATCH_UP_MS);
  }, CATCH_UP_MS + 30_000);

  it('changes the summary by exactly the produced creates, updates and deletes', async () => {
    const delta = await measure(async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      const events = [
        newEvent('PATIENT_CREATED', a),
        newEvent('PATIENT_CREATED', b),
        newEvent('PATIENT_CREATED', c),
        newEvent('PATIENT_UPDATED', a),
        newEvent('PATIENT_DELETED', b),
      ];
      await produce(...events);
      return { applied: events.length, awaitIds: events.map((e) => e.event_id) };
    });
    expect(delta).toEqual({ total: 2, createdToday: 3, updatedToday: 1, deletedToday: 1 });
  }, 4 * APPLY_MS);

  it('counts an event delivered twice (same event_id) once', async () => {
    const delta = await measure(async () => {
      const patientId = randomUUID();
      const created = newEvent('PATIENT_CREATED', patientId);
      await produce(created);
      await produce(created);
      // Same key, so same partition and after both copies: once applied, both copies were seen.
      const updated = newEvent('PATIENT_UPDATED', patientId);
      await produce(updated);
      return { applied: 2, awaitIds: [created.event_id, updated.event_id] };
    });
    expect(delta).toEqual({ total: 1, createdToday: 1, updatedToday: 1, deletedToday: 0 });
  }, 4 * APPLY_MS);

  it('counts an event without event_id or occurred_at once, under patient:<partition>:<offset>', async () => {
    const delta = await measure(async () => {
      const legacy = newEvent('PATIENT_CREATED', randomUUID(), { event_id: '', occurred_at: 0 });
      const sent = await produce(legacy);
      return { applied: 1, awaitIds: [`patient:${sent.partition}:${sent.baseOffset}`] };
    });
    expect(delta).toEqual({ total: 1, createdToday: 1, updatedToday: 0, deletedToday: 0 });
  }, 4 * APPLY_MS);

  it('dead-letters an undecodable message and still applies the events after it', async () => {
    const undecodableBefore = await undecodableMetric();
    const delta = await measure(async () => {
      const patientId = randomUUID();
      await harness.producer.send({ topic: Topics.patient, acks: -1, messages: [{ key: patientId, value: randomBytes(48) }] });
      // Same key: queued behind the poison message on its partition.
      const created = newEvent('PATIENT_CREATED', patientId);
      await produce(created);
      return { applied: 1, awaitIds: [created.event_id] };
    });
    expect(delta).toEqual({ total: 1, createdToday: 1, updatedToday: 0, deletedToday: 0 });
    expect(await undecodableMetric()).toBeGreaterThanOrEqual(undecodableBefore + 1);
  }, 4 * APPLY_MS);

  it('answers the summary as JSON with exactly four non-negative integers', async () => {
    const response = await summaryAs(harness.analyst);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['createdToday', 'deletedToday', 'total', 'updatedToday']);
    for (const value of Object.values(body)) {
      expect(Number.isInteger(value)).toBe(true);
      expect(value as number).toBeGreaterThanOrEqual(0);
    }
  });

  it('is ready when PostgreSQL, Kafka and Redis answer', async () => {
    const response = await fetch(`${harness.baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ details: { database: { status: 'up' }, kafka: { status: 'up' }, redis: { status: 'up' } } });
  });

  describe('who may do what, straight at the service', () => {
    itAnswersEveryCaller([{ route: 'GET /analytics/patients/summary', allowed: ['ADMIN', 'ANALYST'], success: 200 }], () => harness.issuer, (_route, authorization) =>
      summaryAs(authorization),
    );

    itHonoursTokenRevocation(() => ({
      issuer: harness.issuer,
      role: 'ANALYST',
      call: (authorization, url) => summaryAs(authorization, url),
      boot: (settings) => harness.boot({ ...newGroup(), ...settings }),
    }));

    it('documents the roles in OpenAPI', () => {
      const operation = buildOpenApiDocument(app, { title: 'Analytics', description: '' }).paths['/analytics/patients/summary'].get!;
      expect(operation.description).toMatch(/Roles: ADMIN, ANALYST\.$/);
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    });
  });
});
