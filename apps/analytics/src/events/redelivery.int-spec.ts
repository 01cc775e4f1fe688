import {
  AppointmentEvent,
  AppointmentEventType,
  BillingEvent,
  PatientEvent,
  PatientEventType,
  Topics,
  encodeAppointmentEvent,
  encodeBillingEvent,
  encodePatientEvent,
} from '@pm/contracts';
import { waitFor } from '@pm/testing';
import type { Message } from 'kafkajs';
import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  PartitionOffsets,
  analyticsTopics,
  at,
  dayPlus,
  endOffsets,
  privateDay,
  processedCount,
  setGroupOffsets,
  useAnalyticsHarness,
  waitUntilProcessed,
} from '../testing/analytics-int-env';
import type { AppointmentSummaryResponse } from '../appointments/dto/appointment-summary.response';
import type { RevenueResponse } from '../revenue/dto/revenue.response';

const APPLY_MS = 90_000;
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)];
const chance = (percent: number) => randomInt(100) < percent;

type Produced = { topic: string; message: Message; eventId: string };
type StatusCounts = Record<'SCHEDULED' | 'CHECKED_IN' | 'COMPLETED' | 'CANCELLED' | 'NO_SHOW', number>;
const zero = (): StatusCounts => ({ SCHEDULED: 0, CHECKED_IN: 0, COMPLETED: 0, CANCELLED: 0, NO_SHOW: 0 });

/**
 * A random workload of the three topics on two private days, and the truth it implies, computed
 * here independently of the service's code.
 */
function randomWorkload(day: string, currency: string) {
  const nextDay = dayPlus(day, 1);
  const produced: Produced[] = [];
  const truth = {
    patientsPresent: new Map<string, boolean>(),
    patientCounts: { created: 0, updated: 0, deleted: 0 },
    doctors: new Map<string, StatusCounts>(),
    byStatus: zero(),
    revenueDays: new Map<string, { invoicedMinor: number; collectedMinor: number }>(),
    outstandingMinor: 0,
  };
  let clock = at(day, '08:00:00');

  const patient = (patientId: string, eventType: PatientEventType) => {
    const event: PatientEvent = { patientId, name: 'Load Test', email: `${patientId}@example.com`, event_type: eventType, event_id: randomUUID(), occurred_at: clock++ };
    produced.push({ topic: Topics.patient, message: { key: patientId, value: encodePatientEvent(event) }, eventId: event.event_id });
    truth.patientCounts[eventType === 'PATIENT_CREATED' ? 'created' : eventType === 'PATIENT_UPDATED' ? 'updated' : 'deleted']++;
    if (eventType !== 'PATIENT_UPDATED') truth.patientsPresent.set(patientId, eventType === 'PATIENT_CREATED');
  };
  for (let i = 0; i < 15; i++) {
    const id = randomUUID();
    patient(id, 'PATIENT_CREATED');
    for (let u = randomInt(3); u > 0; u--) patient(id, 'PATIENT_UPDATED');
    if (chance(35)) {
      patient(id, 'PATIENT_DELETED');
      if (chance(30)) patient(id, 'PATIENT_CREATED');
    }
  }

  const doctorIds = [randomUUID(), randomUUID(), randomUUID()];
  for (let i = 0; i < 25; i++) {
    const appointmentId = randomUUID();
    let current = { doctor: pick(doctorIds), day: pick([day, nextDay]) };
    const appointment = (eventType: AppointmentEventType, status: keyof StatusCounts) => {
      const event: AppointmentEvent = {
        event_id: randomUUID(), event_type: eventType, appointment_id: appointmentId, patient_id: randomUUID(), doctor_id: current.doctor,
        start_time: at(current.day), end_time: at(current.day, '10:30:00'), status, occurred_at: clock++,
      };
      produced.push({ topic: Topics.appointment, message: { key: appointmentId, value: encodeAppointmentEvent(event) }, eventId: event.event_id });
    };
    appointment('APPOINTMENT_SCHEDULED', 'SCHEDULED');
    if (chance(30)) {
      current = { doctor: pick(doctorIds), day: current.day === day ? nextDay : day };
      appointment('APPOINTMENT_RESCHEDULED', 'SCHEDULED');
    }
    const path = pick(['stay', 'checkIn', 'complete', 'cancel', 'noShow'] as const);
    let final: keyof StatusCounts = 'SCHEDULED';
    if (path === 'checkIn' || path === 'complete') appointment('APPOINTMENT_CHECKED_IN', (final = 'CHECKED_IN'));
    if (path === 'complete') appointment('APPOINTMENT_COMPLETED', (final = 'COMPLETED'));
    if (path === 'cancel') appointment('APPOINTMENT_CANCELLED', (final = 'CANCELLED'));
    if (path === 'noShow') appointment('APPOINTMENT_NO_SHOW', (final = 'NO_SHOW'));
    const counts = truth.doctors.get(current.doctor) ?? zero();
    counts[final]++;
    truth.doctors.set(current.doctor, counts);
    truth.byStatus[final]++;
  }

  const addRevenue = (d: string, invoiced: number, collected: number) => {
    const row = truth.revenueDays.get(d) ?? { invoicedMinor: 0, collectedMinor: 0 };
    row.invoicedMinor += invoiced;
    row.collectedMinor += collected;
    truth.revenueDays.set(d, row);
    truth.outstandingMinor += invoiced - collected;
  };
  for (let i = 0; i < 10; i++) {
    const invoiceId = randomUUID();
    const total = 1 + randomInt(100_000);
    let paid = 0;
    const billing = (eventType: BillingEvent['event_type'], amount: number, d: string) => {
      const event: BillingEvent = {
        event_id: randomUUID(), event_type: eventType, invoice_id: invoiceId, account_id: randomUUID(), patient_id: randomUUID(),
        appointment_id: '', amount_minor: amount, currency, invoice_total_minor: total, invoice_paid_minor: paid,
        occurred_at: at(d, '12:00:00') + randomInt(1000), payment_id: eventType === 'PAYMENT_RECEIVED' ? randomUUID() : '',
      };
      produced.push({ topic: Topics.billing, message: { key: invoiceId, value: encodeBillingEvent(event) }, eventId: event.event_id });
      addRevenue(d, eventType === 'INVOICE_ISSUED' ? amount : 0, eventType === 'PAYMENT_RECEIVED' ? amount : 0);
    };
    billing('INVOICE_ISSUED', total, day);
    for (let p = randomInt(3); p > 0 && paid < total; p--) {
      const amount = 1 + randomInt(total - paid);
      paid += amount;
      billing('PAYMENT_RECEIVED', amount, pick([day, nextDay]));
    }
  }
  return { produced, truth, doctorIds };
}

describe('analytics after forced redelivery equals the truth of a random workload (real PostgreSQL and Kafka)', () => {
  const harness = useAnalyticsHarness('redelivery');
  const groupId = `analytics-int-redelivery-${randomUUID()}`;

  const send = async (items: Produced[]) => {
    for (const topic of analyticsTopics) {
      const messages = items.filter((p) => p.topic === topic).map((p) => p.message);
      if (messages.length > 0) await harness.producer.send({ topic, acks: -1, messages });
    }
  };

  const committedUpTo = async (ends: PartitionOffsets) => {
    const admin = harness.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: analyticsTopics });
      return [...ends].every(([topic, partitions]) =>
        partitions.every((p) => {
          const offset = committed.find((t) => t.topic === topic)?.partitions.find((c) => c.partition === p.partition)?.offset ?? '-1';
          return BigInt(offset) >= BigInt(p.offset);
        }),
      );
    } finally {
      await admin.disconnect();
    }
  };

  it('applies every event exactly once in effect across a restart before commit and duplicated deliveries', async () => {
    const day = privateDay();
    const currency = `Z${String.fromCharCode(65 + randomInt(26), 65 + randomInt(26))}`;
    const { produced, truth, doctorIds } = randomWorkload(day, currency);
    const eventIds = produced.map((p) => p.eventId);

    // The group starts where the workload starts.
    const start = await endOffsets(harness.kafka);
    await setGroupOffsets(harness.kafka, groupId, start);
    let dataSource = (await harness.bootApp({ KAFKA_CONSUMER_GROUP: groupId })).get(DataSource);
    await send(produced);

    // Stopped mid-stream, once some but (usually) not all of it was applied.
    await waitFor(async () => (await processedCount(dataSource, eventIds)) >= Math.ceil(eventIds.length / 4), {
      timeoutMs: APPLY_MS,
      intervalMs: 20,
      description: 'a quarter of the workload to be applied',
    });
    await harness.closeApp();

    // Whatever was committed, the group goes back to the start: every event is delivered again,
    // and a random third of them a third time, after later events of the same key.
    await setGroupOffsets(harness.kafka, groupId, start);
    await send(produced.filter(() => chance(33)));
    const end = await endOffsets(harness.kafka);

    const app = await harness.bootApp({ KAFKA_CONSUMER_GROUP: groupId });
    dataSource = app.get(DataSource);
    await waitUntilProcessed(dataSource, eventIds, APPLY_MS);
    await waitFor(() => committedUpTo(end), { timeoutMs: APPLY_MS, intervalMs: 250, description: 'the duplicates to be consumed' });

    // Patients: who is present, and the day's counts.
    const registry: { patient_id: string; deleted: boolean }[] = await dataSource.query(
      'SELECT patient_id, deleted FROM patient_registry WHERE patient_id = ANY($1::uuid[])',
      [[...truth.patientsPresent.keys()]],
    );
    expect(new Map(registry.map((r) => [r.patient_id, !r.deleted]))).toEqual(truth.patientsPresent);
    const [counts] = await dataSource.query('SELECT created, updated, deleted FROM patient_daily_counts WHERE day = $1', [day]);
    expect(counts).toEqual(truth.patientCounts);

    const baseUrl = await app.getUrl();
    const analyst = await harness.issuer.bearer('ANALYST');
    const get = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: analyst } });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };

    // Appointments over both days, by status and by doctor.
    const summary = await get<AppointmentSummaryResponse>(`/analytics/appointments/summary?from=${day}&to=${dayPlus(day, 1)}`);
    expect(summary.byStatus).toEqual(truth.byStatus);
    for (const doctorId of doctorIds) {
      const expected = truth.doctors.get(doctorId);
      const actual = summary.byDoctor.find((d) => d.doctorId === doctorId);
      if (!expected) expect(actual).toBeUndefined();
      else expect(actual).toEqual({ doctorId, total: Object.values(expected).reduce((a, b) => a + b, 0), byStatus: expected });
    }
    const settled = truth.byStatus.COMPLETED + truth.byStatus.NO_SHOW;
    expect(summary.noShowRate).toBeCloseTo(settled === 0 ? 0 : truth.byStatus.NO_SHOW / settled, 10);

    // Revenue per day and outstanding, in the workload's own currency.
    const revenue = await get<RevenueResponse>(`/analytics/revenue?from=${day}&to=${dayPlus(day, 1)}&currency=${currency}`);
    const truthDays = [...truth.revenueDays].sort(([a], [b]) => a.localeCompare(b)).map(([d, row]) => ({ day: d, ...row }));
    expect(revenue.days).toEqual(truthDays);
    expect(revenue.invoicedMinor).toBe(truthDays.reduce((s, d) => s + d.invoicedMinor, 0));
    expect(revenue.collectedMinor).toBe(truthDays.reduce((s, d) => s + d.collectedMinor, 0));
    expect(revenue.outstandingMinor).toBe(truth.outstandingMinor);

    // The restart really redelivered: at least the quarter applied before it came back as duplicates.
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    const duplicates = [...metrics.matchAll(/^analytics_events_consumed_total\{[^}]*outcome="duplicate"[^}]*\} (\d+)$/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
    expect(duplicates).toBeGreaterThanOrEqual(Math.ceil(eventIds.length / 4));

    // And each event recorded exactly once.
    expect(await processedCount(dataSource, eventIds)).toBe(new Set(eventIds).size);
  }, 4 * APPLY_MS);
});
