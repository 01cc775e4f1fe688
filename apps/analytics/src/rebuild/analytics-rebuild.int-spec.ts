import { loadConfig } from '@pm/platform';
import { Topics, encodeAppointmentEvent, encodeBillingEvent, encodePatientEvent } from '@pm/contracts';
import { waitFor } from '@pm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { analyticsTopics, at, brokers, endOffsets, privateDay, useAnalyticsHarness } from '../testing/analytics-int-env';
import { analyticsConfigSchema } from '../config/analytics.config';
import { StopOffsets, rebuildAndCompare } from './analytics-rebuild';

const CATCH_UP_MS = 120_000;

/**
 * The live app reads every topic from the beginning with a fresh group into its own database
 * and stops; the rebuild then replays up to exactly the offsets the app committed, so both saw
 * the same messages whatever else is produced meanwhile.
 */
describe('analytics:rebuild (real PostgreSQL and Kafka)', () => {
  const harness = useAnalyticsHarness('rebuild');
  const groupId = `analytics-int-rebuild-${randomUUID()}`;
  let stopAt: StopOffsets;
  const day = privateDay();

  const config = () =>
    loadConfig(analyticsConfigSchema, 'analytics', { ...harness.database, ...harness.issuer.config, KAFKA_BROKERS: brokers, KAFKA_CONSUMER_GROUP: groupId });

  const committedOffsets = async (): Promise<StopOffsets> => {
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.fetchOffsets({ groupId, topics: analyticsTopics });
      return new Map(
        topics.map((t) => [t.topic, new Map(t.partitions.map((p) => [p.partition, p.offset === '-1' ? 0n : BigInt(p.offset)]))]),
      );
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    // Some of every kind on record, a poison message included.
    const { producer } = harness;
    const patientId = randomUUID();
    const appointmentId = randomUUID();
    const invoiceId = randomUUID();
    await producer.send({
      topic: Topics.patient,
      acks: -1,
      messages: [
        {
          key: patientId,
          value: encodePatientEvent({ patientId, name: 'Re Build', email: 'r@example.com', event_type: 'PATIENT_CREATED', event_id: randomUUID(), occurred_at: at(day) }),
        },
        { key: patientId, value: randomBytes(30) },
      ],
    });
    const appointment = { patient_id: patientId, doctor_id: randomUUID(), start_time: at(day), end_time: at(day, '11:00:00'), occurred_at: at(day) };
    await producer.send({
      topic: Topics.appointment,
      acks: -1,
      messages: [
        { key: appointmentId, value: encodeAppointmentEvent({ ...appointment, event_id: randomUUID(), event_type: 'APPOINTMENT_SCHEDULED', appointment_id: appointmentId, status: 'SCHEDULED' }) },
        { key: appointmentId, value: encodeAppointmentEvent({ ...appointment, event_id: randomUUID(), event_type: 'APPOINTMENT_COMPLETED', appointment_id: appointmentId, status: 'COMPLETED' }) },
      ],
    });
    await producer.send({
      topic: Topics.billing,
      acks: -1,
      messages: [
        {
          key: invoiceId,
          value: encodeBillingEvent({
            event_id: randomUUID(), event_type: 'INVOICE_ISSUED', invoice_id: invoiceId, account_id: randomUUID(), patient_id: patientId,
            appointment_id: appointmentId, amount_minor: 5_000, currency: 'EUR', invoice_total_minor: 5_000, invoice_paid_minor: 0,
            occurred_at: at(day), payment_id: '',
          }),
        },
      ],
    });
    const ends = await endOffsets(harness.kafka);

    const app = await harness.boot({ KAFKA_CONSUMER_GROUP: groupId });
    try {
      await waitFor(
        async () => {
          const committed = await committedOffsets();
          return [...ends].every(([topic, partitions]) =>
            partitions.every((p) => (committed.get(topic)?.get(p.partition) ?? 0n) >= BigInt(p.offset)),
          );
        },
        { timeoutMs: CATCH_UP_MS, intervalMs: 500, description: 'the live app to commit every topic up to its end' },
      );
    } finally {
      await app.close();
    }
    stopAt = await committedOffsets();
  }, CATCH_UP_MS + 30_000);

  it('rebuilds, from the beginning into fresh tables, aggregates equal to the live ones', async () => {
    const result = await rebuildAndCompare(config(), { stopAt });
    expect(result.differences).toEqual([]);
    expect(result.equal).toBe(true);
    expect(result.applied).toBeGreaterThanOrEqual(4);
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    expect(result.scratchDatabase).toBe(`${harness.database.DB_NAME}_rebuild`);
  }, CATCH_UP_MS);

  it('lists what differs when the live tables do not match the events', async () => {
    const live = new DataSource({ type: 'postgres', host: harness.database.DB_HOST, port: Number(harness.database.DB_PORT), username: harness.database.DB_USER, database: harness.database.DB_NAME });
    await live.initialize();
    try {
      await live.query(`UPDATE revenue_daily SET invoiced_minor = invoiced_minor + 1 WHERE day = $1 AND currency = 'EUR'`, [day]);
      await live.query(`UPDATE appointment_daily_counts SET count = count + 1 WHERE day = $1 AND status = 'COMPLETED'`, [day]);
    } finally {
      await live.destroy();
    }
    const result = await rebuildAndCompare(config(), { stopAt });
    expect(result.equal).toBe(false);
    expect(result.differences).toEqual(
      expect.arrayContaining([
        `revenue_daily ${day}|EUR: live=5001,0 rebuilt=5000,0`,
        expect.stringMatching(new RegExp(`^appointment_daily_counts ${day}\\|[0-9a-f-]+\\|COMPLETED: live=2 rebuilt=1$`)),
      ]),
    );
  }, CATCH_UP_MS);
});
