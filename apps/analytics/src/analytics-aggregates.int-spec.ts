import { INestApplication } from '@nestjs/common';
import { buildOpenApiDocument } from '@pm/platform';
import {
  AppointmentEvent,
  BillingEvent,
  PatientEvent,
  Topics,
  encodeAppointmentEvent,
  encodeBillingEvent,
  encodePatientEvent,
} from '@pm/contracts';
import { TokenRevocationList } from '@pm/auth-tokens';
import { KafkaTopicProbe, undecodableDeadLetterHeaders, itAnswersEveryCaller } from '@pm/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppointmentSummaryResponse } from './appointments/dto/appointment-summary.response';
import { RevenueResponse } from './revenue/dto/revenue.response';
import {
  analyticsTopics,
  at,
  dayPlus,
  endOffsets,
  privateDay,
  setGroupOffsets,
  useAnalyticsHarness,
  waitUntilProcessed,
} from './testing/analytics-int-env';

const APPLY_MS = 30_000;

/**
 * Real PostgreSQL and Kafka. The group starts at the topics' current end (history is covered by
 * the patient and rebuild specs); every scenario uses a day far in the future and fresh ids, so
 * other producers on the shared topics never touch what it measures.
 */
describe('appointment and revenue analytics, dead letters and the live stream (real PostgreSQL and Kafka)', () => {
  const harness = useAnalyticsHarness('aggregates');
  let app: INestApplication;

  const get = async (path: string, authorization: string | null = harness.analyst) =>
    fetch(`${harness.baseUrl}${path}`, { headers: authorization ? { authorization } : {} });

  const appointmentEvent = (appointmentId: string, status: string, overrides: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
    event_id: randomUUID(),
    event_type: 'APPOINTMENT_SCHEDULED',
    appointment_id: appointmentId,
    patient_id: randomUUID(),
    doctor_id: randomUUID(),
    start_time: Date.now() + 86_400_000,
    end_time: Date.now() + 86_400_000 + 1_800_000,
    status,
    occurred_at: Date.now(),
    ...overrides,
  });

  const billingEvent = (overrides: Partial<BillingEvent> = {}): BillingEvent => ({
    event_id: randomUUID(),
    event_type: 'INVOICE_ISSUED',
    invoice_id: randomUUID(),
    account_id: randomUUID(),
    patient_id: randomUUID(),
    appointment_id: '',
    amount_minor: 0,
    currency: 'EUR',
    invoice_total_minor: 0,
    invoice_paid_minor: 0,
    occurred_at: Date.now(),
    payment_id: '',
    ...overrides,
  });

  const sendAppointments = (...events: AppointmentEvent[]) =>
    harness.producer.send({
      topic: Topics.appointment,
      acks: -1,
      messages: events.map((e) => ({ key: e.appointment_id, value: encodeAppointmentEvent(e) })),
    });

  const sendBilling = (...events: BillingEvent[]) =>
    harness.producer.send({ topic: Topics.billing, acks: -1, messages: events.map((e) => ({ key: e.invoice_id, value: encodeBillingEvent(e) })) });

  /** A valid event of the topic with the given key, to be applied after the poison message. */
  const nextEventAfterPoison = (topic: string, key: string, day: string): { id: string; value: Buffer } => {
    if (topic === Topics.patient) {
      const e = patientEvent(key);
      return { id: e.event_id, value: encodePatientEvent(e) };
    }
    if (topic === Topics.appointment) {
      const e = appointmentEvent(key, 'SCHEDULED', { start_time: at(day) });
      return { id: e.event_id, value: encodeAppointmentEvent(e) };
    }
    const e = billingEvent({ invoice_id: key, amount_minor: 100, occurred_at: at(day) });
    return { id: e.event_id, value: encodeBillingEvent(e) };
  };

  beforeAll(async () => {
    const groupId = `analytics-int-aggregates-${randomUUID()}`;
    await setGroupOffsets(harness.kafka, groupId, await endOffsets(harness.kafka));
    app = await harness.bootApp({ KAFKA_CONSUMER_GROUP: groupId, STREAM_HEARTBEAT_MS: '1000', STREAM_REVOCATION_CHECK_MS: '500' });
  }, 60_000);

  describe('GET /analytics/appointments/summary', () => {
    it('counts each appointment once, in its latest status, by status and by doctor', async () => {
      const day = privateDay();
      const [doctorA, doctorB] = [randomUUID(), randomUUID()];
      const on = (d: string, doctor: string) => ({ start_time: at(d), end_time: at(d, '10:30:00'), doctor_id: doctor });
      const [a1, a2, a3, a4, a5] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const events = [
        appointmentEvent(a1, 'SCHEDULED', on(day, doctorA)),
        appointmentEvent(a1, 'CHECKED_IN', { ...on(day, doctorA), event_type: 'APPOINTMENT_CHECKED_IN' }),
        appointmentEvent(a1, 'COMPLETED', { ...on(day, doctorA), event_type: 'APPOINTMENT_COMPLETED' }),
        appointmentEvent(a2, 'SCHEDULED', on(day, doctorA)),
        appointmentEvent(a2, 'NO_SHOW', { ...on(day, doctorA), event_type: 'APPOINTMENT_NO_SHOW' }),
        appointmentEvent(a3, 'SCHEDULED', on(day, doctorB)),
        appointmentEvent(a3, 'CANCELLED', { ...on(day, doctorB), event_type: 'APPOINTMENT_CANCELLED' }),
        appointmentEvent(a4, 'SCHEDULED', on(day, doctorB)),
        // Rescheduled to the next day: leaves `day`.
        appointmentEvent(a5, 'SCHEDULED', on(day, doctorB)),
        appointmentEvent(a5, 'SCHEDULED', { ...on(dayPlus(day, 1), doctorB), event_type: 'APPOINTMENT_RESCHEDULED' }),
      ];
      await sendAppointments(...events);
      // A redelivered copy changes nothing.
      await sendAppointments(events[2]);
      await waitUntilProcessed(harness.dataSource, events.map((e) => e.event_id), APPLY_MS);

      const response = await get(`/analytics/appointments/summary?from=${day}&to=${day}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as AppointmentSummaryResponse;
      expect(body).toEqual({
        from: day,
        to: day,
        byStatus: { SCHEDULED: 1, CHECKED_IN: 0, COMPLETED: 1, CANCELLED: 1, NO_SHOW: 1 },
        byDoctor: expect.arrayContaining([
          { doctorId: doctorA, total: 2, byStatus: { SCHEDULED: 0, CHECKED_IN: 0, COMPLETED: 1, CANCELLED: 0, NO_SHOW: 1 } },
          { doctorId: doctorB, total: 2, byStatus: { SCHEDULED: 1, CHECKED_IN: 0, COMPLETED: 0, CANCELLED: 1, NO_SHOW: 0 } },
        ]),
        noShowRate: 0.5,
      });
      expect(body.byDoctor).toHaveLength(2);

      const twoDays = (await (await get(`/analytics/appointments/summary?from=${day}&to=${dayPlus(day, 1)}`)).json()) as AppointmentSummaryResponse;
      expect(twoDays.byStatus.SCHEDULED).toBe(2);
      expect(twoDays.byDoctor.find((d) => d.doctorId === doctorB)?.total).toBe(3);
    }, 2 * APPLY_MS);

    it.each([
      ['from=&to=2024-01-01', 'from'],
      ['to=2024-01-01', 'from'],
      ['from=2024-01-01', 'to'],
      ['from=2024-13-01&to=2024-12-31', 'from'],
      ['from=2024-01-01&to=2024-02-30', 'to'],
      ['from=01/02/2024&to=2024-02-01', 'from'],
      ['from=2024-02-02&to=2024-02-01', 'to'],
    ])('answers 400 problem+json naming the field for ?%s', async (query, field) => {
      const response = await get(`/analytics/appointments/summary?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const body = (await response.json()) as { errors: Record<string, string> };
      expect(Object.keys(body.errors)).toEqual([field]);
    });
  });

  describe('GET /analytics/revenue', () => {
    it('sums invoiced and collected per day in minor units, outstanding over all time', async () => {
      const day = privateDay();
      const currency = `X${randomBytes(2).toString('hex').slice(0, 2).toUpperCase().replace(/[0-9]/g, 'Q')}`;
      const invoice = billingEvent({ amount_minor: 12_345, currency, occurred_at: at(day) });
      const earlierInvoice = billingEvent({ amount_minor: 1_000, currency, occurred_at: at(dayPlus(day, -40)) });
      const pay = (amount: number, d: string) =>
        billingEvent({ event_type: 'PAYMENT_RECEIVED', invoice_id: invoice.invoice_id, amount_minor: amount, currency, occurred_at: at(d), payment_id: randomUUID() });
      const payments = [pay(2_000, day), pay(345, dayPlus(day, 1))];
      await sendBilling(invoice, earlierInvoice, ...payments, payments[0]);
      await waitUntilProcessed(harness.dataSource, [invoice, earlierInvoice, ...payments].map((e) => e.event_id), APPLY_MS);

      const response = await get(`/analytics/revenue?from=${day}&to=${dayPlus(day, 1)}&currency=${currency}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        from: day,
        to: dayPlus(day, 1),
        currency,
        invoicedMinor: 12_345,
        collectedMinor: 2_345,
        outstandingMinor: 11_000,
        days: [
          { day, invoicedMinor: 12_345, collectedMinor: 2_000 },
          { day: dayPlus(day, 1), invoicedMinor: 0, collectedMinor: 345 },
        ],
      });
    }, 2 * APPLY_MS);

    it('reports the configured currency (EUR) when none is asked', async () => {
      const body = (await (await get('/analytics/revenue?from=2024-01-01&to=2024-01-31')).json()) as RevenueResponse;
      expect(body.currency).toBe('EUR');
      expect(Number.isInteger(body.outstandingMinor)).toBe(true);
    });

    it.each([
      ['from=2024-01-01&to=2024-01-31&currency=eur', 'currency'],
      ['from=2024-01-01&to=2023-12-31', 'to'],
      ['to=2024-01-01', 'from'],
    ])('answers 400 problem+json naming the field for ?%s', async (query, field) => {
      const response = await get(`/analytics/revenue?${query}`);
      expect(response.status).toBe(400);
      expect(Object.keys(((await response.json()) as { errors: object }).errors)).toEqual([field]);
    });
  });

  describe('dead letters', () => {
    let probe: KafkaTopicProbe;
    beforeAll(async () => {
      probe = await new KafkaTopicProbe([Topics.analyticsDeadLetter]).start();
    });
    afterAll(() => probe?.stop());

    it.each(analyticsTopics)(
      'publishes an undecodable %s message to analytics-dead-letter as it came, and applies the next one',
      async (topic) => {
        const key = randomUUID();
        const poison = randomBytes(40);
        const [sent] = await harness.producer.send({ topic, acks: -1, messages: [{ key, value: poison }] });

        // Queued behind the poison message on its partition (same key).
        const day = privateDay();
        const next = nextEventAfterPoison(topic, key, day);
        await harness.producer.send({ topic, acks: -1, messages: [{ key, value: next.value }] });

        const dead = await probe.waitFor((m) => m.key === key, APPLY_MS);
        expect(dead.value?.equals(poison)).toBe(true);
        expect(dead.headers).toMatchObject(undecodableDeadLetterHeaders(topic, sent.partition, sent.baseOffset));
        await waitUntilProcessed(harness.dataSource, [next.id], APPLY_MS);
      },
      2 * APPLY_MS,
    );

    it('dead-letters an event that decodes but can never be applied, naming the field', async () => {
      const appointmentId = randomUUID();
      await sendAppointments(appointmentEvent(appointmentId, 'MISPLACED'));
      const dead = await probe.waitFor((m) => m.key === appointmentId, APPLY_MS);
      expect(dead.headers['x-error']).toMatch(/^unusable status: /);
    }, 2 * APPLY_MS);

    it('counts what it dead-lettered in the metric', async () => {
      const text = await (await fetch(`${harness.baseUrl}/metrics`)).text();
      for (const topic of analyticsTopics) {
        expect(text).toMatch(new RegExp(`^analytics_undecodable_events_total\\{[^}]*topic="${topic}"[^}]*\\} [1-9]`, 'm'));
      }
    });
  });

  describe('GET /analytics/stream', () => {
    it('pushes an update after an event is applied, and heartbeat comments', async () => {
      const controller = new AbortController();
      const response = await fetch(`${harness.baseUrl}/analytics/stream`, { headers: { authorization: harness.analyst }, signal: controller.signal });
      try {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/event-stream');
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let received = '';
        const readUntil = async (pattern: RegExp) => {
          const deadline = Date.now() + APPLY_MS;
          while (!pattern.test(received)) {
            if (Date.now() > deadline) throw new Error(`No ${pattern} in the stream: ${received}`);
            const { value, done } = await reader.read();
            if (done) throw new Error('Stream ended');
            received += value;
          }
        };

        const day = privateDay();
        const invoice = billingEvent({ amount_minor: 4_242, occurred_at: at(day) });
        await sendBilling(invoice);
        await readUntil(new RegExp(`data: \\{[^\\n]*"day":"${day}"`));
        const line = received.split('\n').find((l) => l.startsWith('data: ') && l.includes(day))!;
        expect(JSON.parse(line.slice('data: '.length))).toEqual({
          type: 'revenue',
          day,
          currency: 'EUR',
          eventType: 'INVOICE_ISSUED',
          amountMinor: 4_242,
        });
        // STREAM_HEARTBEAT_MS is 1000 here.
        await readUntil(/^: heartbeat$/m);
      } finally {
        controller.abort();
      }
    }, 2 * APPLY_MS);

    /** Opens the stream and reads it to its end; the text it sent and how long it stayed open after `afterOpen` ran. */
    const readToEnd = async (authorization: string, afterOpen: () => Promise<void> = async () => undefined) => {
      const controller = new AbortController();
      const giveUp = setTimeout(() => controller.abort(), 15_000);
      try {
        const response = await fetch(`${harness.baseUrl}/analytics/stream`, { headers: { authorization }, signal: controller.signal });
        expect(response.status).toBe(200);
        await afterOpen();
        const started = Date.now();
        const text = await response.text();
        return { text, openFor: Date.now() - started };
      } finally {
        clearTimeout(giveUp);
      }
    };

    it('ends within seconds of a logout (the token or its session revoked), saying why', async () => {
      const revocations = app.get(TokenRevocationList);
      const tokenId = randomUUID();
      const sessionId = randomUUID();
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const byToken = await readToEnd(await harness.issuer.bearer('ANALYST', { tokenId, expiresAt }), () => revocations.revokeToken(tokenId, expiresAt));
      expect(byToken.openFor).toBeLessThan(3000);
      expect(byToken.text).toMatch(/^event: session-ended\n(id: \d+\n)?data: \{"reason":"revoked"\}$/m);
      const bySession = await readToEnd(await harness.issuer.bearer('ADMIN', { sessionId, expiresAt }), () => revocations.revokeSession(sessionId, expiresAt));
      expect(bySession.openFor).toBeLessThan(3000);
    }, 20_000);

    it('ends within seconds of its user being disabled (every token of the user revoked)', async () => {
      const userId = randomUUID();
      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const { text, openFor } = await readToEnd(await harness.issuer.bearer('ANALYST', { userId, expiresAt }), () =>
        app.get(TokenRevocationList).revokeUserTokens(userId, Math.floor(Date.now() / 1000), expiresAt),
      );
      expect(openFor).toBeLessThan(3000);
      expect(text).toContain('"reason":"revoked"');
    }, 20_000);

    it('ends when its token expires', async () => {
      const expiresAt = Math.floor(Date.now() / 1000) + 3;
      const started = Date.now();
      const { text } = await readToEnd(await harness.issuer.bearer('ANALYST', { expiresAt }));
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000);
      expect(Date.now() - started).toBeLessThan(6000);
      expect(text).toMatch(/^event: session-ended\n(id: \d+\n)?data: \{"reason":"expired"\}$/m);
    }, 20_000);

    it('stays open while its token is valid', async () => {
      const controller = new AbortController();
      const response = await fetch(`${harness.baseUrl}/analytics/stream`, { headers: { authorization: harness.analyst }, signal: controller.signal });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      const until = Date.now() + 2500;
      try {
        while (Date.now() < until) {
          const { value, done } = await reader.read();
          expect(done).toBe(false);
          received += value;
        }
        expect(received).not.toContain('session-ended');
      } finally {
        controller.abort();
      }
    });

    it('refuses the stream without a token', async () => {
      const response = await get('/analytics/stream', null);
      expect(response.status).toBe(401);
      await response.body?.cancel();
    });
  });

  describe('who may do what, straight at the service', () => {
    itAnswersEveryCaller(
      [
        { route: 'GET /analytics/appointments/summary?from=2024-01-01&to=2024-01-02', allowed: ['ADMIN', 'ANALYST'], success: 200 },
        { route: 'GET /analytics/revenue?from=2024-01-01&to=2024-01-02', allowed: ['ADMIN', 'ANALYST'], success: 200 },
        { route: 'GET /analytics/stream', allowed: ['ADMIN', 'ANALYST'], success: 200 },
      ],
      () => harness.issuer,
      ({ route }, authorization) => get(route.replace('GET ', ''), authorization),
    );

    it('documents every analytics route with its roles', () => {
      const paths = buildOpenApiDocument(app, { title: 'Analytics', description: '' }).paths;
      for (const path of ['/analytics/appointments/summary', '/analytics/revenue', '/analytics/stream', '/analytics/patients/summary']) {
        expect(paths[path].get!.description).toMatch(/Roles: ADMIN, ANALYST\.$/);
      }
      expect(paths['/analytics/revenue'].get!.parameters!.map((p) => ('name' in p ? p.name : ''))).toEqual(
        expect.arrayContaining(['from', 'to', 'currency']),
      );
    });
  });
});

function patientEvent(patientId: string): PatientEvent {
  return {
    patientId,
    name: 'Test Patient',
    email: `${patientId}@example.com`,
    event_type: 'PATIENT_CREATED',
    event_id: randomUUID(),
    occurred_at: Date.now(),
  };
}
