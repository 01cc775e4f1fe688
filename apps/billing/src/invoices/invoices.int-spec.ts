import { Transactions, buildOpenApiDocument } from '@pm/platform';
import { AppointmentEvent, Topics, decodeBillingEvent, encodeAppointmentEvent } from '@pm/contracts';
import { createKafkaClient } from '@pm/kafka';
import { KafkaTopicProbe, connectTestDatabase, waitFor, undecodableDeadLetterHeaders, itAnswersEveryCaller } from '@pm/testing';
import { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { useBillingApp } from '../testing/billing-test-app';
import { DuplicatePaymentKeyError, InvoicesRepository } from './invoices.repository';

jest.setTimeout(60_000);

const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const PRICE = 5000;

interface InvoiceBody {
  id: string;
  accountId: string;
  patientId: string;
  appointmentId: string | null;
  currency: string;
  totalMinor: number;
  paidMinor: number;
  remainingMinor: number;
  status: string;
  lines: { description: string; quantity: number; unitPriceMinor: number; amountMinor: number }[];
  issuedAt: string;
}

describe('invoices and payments (real PostgreSQL, Kafka, Redis and JWKS)', () => {
  const t = useBillingApp('billing_int_invoices', {
    KAFKA_BROKERS,
    BILLING_CURRENCY: 'EUR',
    APPOINTMENT_PRICE_MINOR: String(PRICE),
  });
  let producer: Producer;
  let billingTopic: KafkaTopicProbe;
  let deadLetters: KafkaTopicProbe;
  let db: Client;

  beforeAll(async () => {
    billingTopic = await new KafkaTopicProbe([Topics.billing], KAFKA_BROKERS).start();
    deadLetters = await new KafkaTopicProbe([Topics.billingDeadLetter], KAFKA_BROKERS).start();
    producer = createKafkaClient({ clientId: 'billing-invoices-test', brokers: KAFKA_BROKERS }).producer();
    await producer.connect();
    db = await connectTestDatabase(t.database.DB_NAME);
  });

  afterAll(async () => {
    await db?.end();
    await producer?.disconnect();
    await billingTopic?.stop();
    await deadLetters?.stop();
  });

  const http = async (method: string, path: string, { role = 'BILLING' as string | null, body, headers = {} }: { role?: string | null; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: {
        ...(role ? { authorization: await t.issuer.bearer(role) } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const pay = (invoiceId: string, amount: unknown, key?: string, role = 'BILLING') =>
    http('POST', `/billing/invoices/${invoiceId}/payments`, { role, body: { amount }, headers: key === undefined ? {} : { 'idempotency-key': key } });

  const completion = (patientId: string, appointmentId: string): AppointmentEvent => ({
    event_id: randomUUID(),
    event_type: 'APPOINTMENT_COMPLETED',
    appointment_id: appointmentId,
    patient_id: patientId,
    doctor_id: randomUUID(),
    start_time: Date.UTC(2026, 10, 20, 9, 0),
    end_time: Date.UTC(2026, 10, 20, 9, 30),
    status: 'COMPLETED',
    occurred_at: Date.now(),
  });

  /** Publishes on `appointment`; `key` picks the partition (by default the appointment, as the producer does). */
  const publish = (values: Buffer[], key: string) =>
    producer.send({ topic: Topics.appointment, messages: values.map((value) => ({ key, value })) });

  const invoicesOf = async (patientId: string): Promise<InvoiceBody[]> => {
    const response = await http('GET', `/billing/invoices?patientId=${patientId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { invoices: InvoiceBody[] }).invoices;
  };

  const waitForInvoice = (patientId: string, appointmentId: string) =>
    waitFor(async () => (await invoicesOf(patientId)).find((i) => i.appointmentId === appointmentId), { timeoutMs: 40_000, description: `invoice of ${appointmentId}` });

  /** A fresh patient whose completed appointment was invoiced. */
  const freshInvoice = async () => {
    const patientId = randomUUID();
    const appointmentId = randomUUID();
    await publish([encodeAppointmentEvent(completion(patientId, appointmentId))], appointmentId);
    return waitForInvoice(patientId, appointmentId);
  };

  const account = async (patientId: string) => (await (await http('GET', `/billing/accounts/${patientId}`)).json()) as { accountId: string; status: string; balance: { amountMinor: number; currency: string } };

  describe('a completed appointment invoices itself', () => {
    it('issues one invoice at the configured price, even when the completion arrives twice, and opens the account', async () => {
      const patientId = randomUUID();
      const appointmentId = randomUUID();
      const sentinel = randomUUID();
      const event = completion(patientId, appointmentId);
      // The same completion twice (a redelivery, and a re-publish under a new event id), then a
      // sentinel on the same partition: once the sentinel is invoiced, both copies were handled.
      await publish([encodeAppointmentEvent(event), encodeAppointmentEvent(event), encodeAppointmentEvent({ ...event, event_id: randomUUID() })], appointmentId);
      await publish([encodeAppointmentEvent(completion(patientId, sentinel))], appointmentId);
      await waitForInvoice(patientId, sentinel);

      const invoices = (await invoicesOf(patientId)).filter((i) => i.appointmentId === appointmentId);
      expect(invoices).toHaveLength(1);
      expect(invoices[0]).toMatchObject({
        patientId,
        appointmentId,
        currency: 'EUR',
        totalMinor: PRICE,
        paidMinor: 0,
        remainingMinor: PRICE,
        status: 'OPEN',
        lines: [{ description: 'Appointment 2026-11-20', quantity: 1, unitPriceMinor: PRICE, amountMinor: PRICE }],
      });
      expect(await account(patientId)).toMatchObject({ accountId: invoices[0].accountId, status: 'ACTIVE', balance: { amountMinor: 2 * PRICE, currency: 'EUR' } });

      const byId = await http('GET', `/billing/invoices/${invoices[0].id}`);
      expect(byId.status).toBe(200);
      expect(await byId.json()).toEqual(invoices[0]);
    });

    it('sends an undecodable message to billing-dead-letter as it came and goes on with the next one', async () => {
      const patientId = randomUUID();
      const appointmentId = randomUUID();
      const poison = Buffer.from('definitely not protobuf \xff\xfe');
      const [sent] = await producer.send({
        topic: Topics.appointment,
        acks: -1,
        messages: [poison, encodeAppointmentEvent(completion(patientId, appointmentId))].map((value) => ({ key: appointmentId, value })),
      });
      await expect(waitForInvoice(patientId, appointmentId)).resolves.toMatchObject({ totalMinor: PRICE });
      const dead = await deadLetters.waitFor((m) => m.key === appointmentId, 40_000);
      expect(dead.value?.equals(poison)).toBe(true);
      expect(dead.headers).toEqual(undecodableDeadLetterHeaders(Topics.appointment, sent.partition, sent.baseOffset));
      // Only the poison one: the good message behind it was applied, not dead-lettered.
      expect(deadLetters.messages.filter((m) => m.key === appointmentId)).toHaveLength(1);
    });

    it('ignores appointment changes other than completion', async () => {
      const patientId = randomUUID();
      const scheduled = randomUUID();
      const completed = randomUUID();
      await publish([encodeAppointmentEvent({ ...completion(patientId, scheduled), event_type: 'APPOINTMENT_SCHEDULED', status: 'SCHEDULED' })], scheduled);
      await publish([encodeAppointmentEvent(completion(patientId, completed))], scheduled);
      await waitForInvoice(patientId, completed);
      expect((await invoicesOf(patientId)).map((i) => i.appointmentId)).toEqual([completed]);
    });

    it('announces INVOICE_ISSUED on `billing`, keyed by the invoice id', async () => {
      const invoice = await freshInvoice();
      const message = await billingTopic.waitFor((m) => m.key === invoice.id);
      expect(decodeBillingEvent(message.value!)).toMatchObject({
        event_type: 'INVOICE_ISSUED',
        invoice_id: invoice.id,
        account_id: invoice.accountId,
        patient_id: invoice.patientId,
        appointment_id: invoice.appointmentId,
        amount_minor: PRICE,
        currency: 'EUR',
        invoice_total_minor: PRICE,
        invoice_paid_minor: 0,
      });
    });
  });

  describe('payments', () => {
    it('takes partial payments until PAID, lowers the balance, then refuses more', async () => {
      const invoice = await freshInvoice();
      const first = await pay(invoice.id, 2000, randomUUID());
      expect(first.status).toBe(201);
      expect(await first.json()).toMatchObject({ invoiceId: invoice.id, amountMinor: 2000, currency: 'EUR' });
      expect(await (await http('GET', `/billing/invoices/${invoice.id}`)).json()).toMatchObject({ paidMinor: 2000, remainingMinor: 3000, status: 'OPEN' });
      expect((await account(invoice.patientId)).balance).toEqual({ amountMinor: 3000, currency: 'EUR' });

      expect((await pay(invoice.id, 3000, randomUUID())).status).toBe(201);
      expect(await (await http('GET', `/billing/invoices/${invoice.id}`)).json()).toMatchObject({ paidMinor: PRICE, remainingMinor: 0, status: 'PAID' });
      expect((await account(invoice.patientId)).balance).toEqual({ amountMinor: 0, currency: 'EUR' });

      const refused = await pay(invoice.id, 1, randomUUID());
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await refused.json()).toMatchObject({ errors: { amount: 'The invoice is already paid' } });
      // Each reason for a 409 has its own code.
      expect(await (await pay(invoice.id, 1, randomUUID())).json()).toMatchObject({ status: 409, code: 'INVOICE_ALREADY_PAID' });
    });

    it('refuses an overpayment with a problem naming amount, and charges nothing', async () => {
      const invoice = await freshInvoice();
      const response = await pay(invoice.id, PRICE + 1, randomUUID());
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ status: 409, errors: { amount: `amount must not exceed the ${PRICE} minor units still owed` } });
      expect(await (await pay(invoice.id, PRICE + 1, randomUUID())).json()).toMatchObject({ status: 409, code: 'INVOICE_OVERPAYMENT' });
      expect(await (await http('GET', `/billing/invoices/${invoice.id}`)).json()).toMatchObject({ paidMinor: 0, status: 'OPEN' });
    });

    it('charges once for 10 concurrent requests with one Idempotency-Key, all answered with the same payment', async () => {
      const invoice = await freshInvoice();
      const key = randomUUID();
      const responses = await Promise.all(Array.from({ length: 10 }, () => pay(invoice.id, 1000, key)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      const bodies = await Promise.all(responses.map((r) => r.json()));
      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);

      const stored = await db.query('SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1', [invoice.id]);
      expect(stored.rows[0].n).toBe(1);
      expect(await (await http('GET', `/billing/invoices/${invoice.id}`)).json()).toMatchObject({ paidMinor: 1000 });
      expect((await account(invoice.patientId)).balance.amountMinor).toBe(PRICE - 1000);

      // Later, the same key still returns the original payment.
      const later = await pay(invoice.id, 1000, key);
      expect(later.status).toBe(200);
      expect(await later.json()).toEqual(bodies[0]);
      // The same key for another amount is a client mistake, not a second payment.
      const reused = await pay(invoice.id, 1500, key);
      expect(reused.status).toBe(409);
      expect(await reused.json()).toMatchObject({ errors: { 'Idempotency-Key': expect.any(String) } });
    });

    it('lets concurrent payments with different keys take only what the invoice still owes', async () => {
      const invoice = await freshInvoice();
      const responses = await Promise.all(Array.from({ length: 8 }, () => pay(invoice.id, 1000, randomUUID())));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
      expect(await (await http('GET', `/billing/invoices/${invoice.id}`)).json()).toMatchObject({ paidMinor: PRICE, status: 'PAID' });
      const stored = await db.query('SELECT coalesce(sum(amount_minor), 0)::int AS paid FROM payments WHERE invoice_id = $1', [invoice.id]);
      expect(stored.rows[0].paid).toBe(PRICE);
      expect((await account(invoice.patientId)).balance.amountMinor).toBe(0);
    });

    it('announces PAYMENT_RECEIVED on `billing` with the invoice state after it', async () => {
      const invoice = await freshInvoice();
      const payment = (await (await pay(invoice.id, 1234, randomUUID())).json()) as { id: string };
      const message = await billingTopic.waitFor((m) => m.key === invoice.id && decodeBillingEvent(m.value!).payment_id === payment.id);
      expect(decodeBillingEvent(message.value!)).toMatchObject({
        event_type: 'PAYMENT_RECEIVED',
        invoice_id: invoice.id,
        account_id: invoice.accountId,
        amount_minor: 1234,
        currency: 'EUR',
        invoice_total_minor: PRICE,
        invoice_paid_minor: 1234,
      });
    });

    it.each([
      ['a float', 25.5, 'amount must be an integer number of minor units (e.g. 2500 for 25.00)'],
      ['a string', '2500', 'amount must be an integer number of minor units (e.g. 2500 for 25.00), not a string'],
      ['zero', 0, 'amount must be positive'],
      ['nothing', undefined, 'amount is required'],
    ])('answers 400 naming amount for %s', async (_what, amount, message) => {
      const invoice = await freshInvoice();
      const response = await pay(invoice.id, amount, randomUUID());
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ errors: { amount: message } });
    });

    it('answers 400 without an Idempotency-Key, 404 for an unknown invoice and 400 for a bad id', async () => {
      const invoice = await freshInvoice();
      const missingKey = await pay(invoice.id, 100);
      expect(missingKey.status).toBe(400);
      expect(await missingKey.json()).toMatchObject({ errors: { 'Idempotency-Key': 'The Idempotency-Key header is required' } });
      expect((await pay(randomUUID(), 100, randomUUID())).status).toBe(404);
      expect((await pay('not-a-uuid', 100, randomUUID())).status).toBe(400);
      const stored = await db.query('SELECT count(*)::int AS n FROM payments WHERE invoice_id = $1', [invoice.id]);
      expect(stored.rows[0].n).toBe(0);
    });
  });

  describe('payment rows (the repository on its own)', () => {
    it('reports a key another transaction stored first as DuplicatePaymentKeyError, and other refusals as they are', async () => {
      const invoice = await freshInvoice();
      const repository = t.app.get(InvoicesRepository);
      const transactions = t.app.get(Transactions);
      const draft = { invoiceId: invoice.id, amountMinor: 100, currency: 'EUR', idempotencyKey: randomUUID() };
      const stored = await transactions.run((tx) => repository.insertPayment(draft, tx));
      await expect(transactions.run((tx) => repository.insertPayment(draft, tx))).rejects.toThrow(DuplicatePaymentKeyError);
      // Outside any transaction it reads what was committed.
      await expect(repository.findPayment(invoice.id, draft.idempotencyKey)).resolves.toMatchObject({ id: stored.id, amountMinor: 100 });
      // No such invoice (a foreign key) is not a reused key.
      const orphan = transactions.run((tx) => repository.insertPayment({ ...draft, invoiceId: randomUUID() }, tx));
      await expect(orphan).rejects.toThrow(QueryFailedError);
      await expect(orphan).rejects.not.toThrow(DuplicatePaymentKeyError);
      const rows = await db.query('SELECT count(*)::int AS n FROM payments WHERE idempotency_key = $1', [draft.idempotencyKey]);
      expect(rows.rows[0].n).toBe(1);
    });
  });

  describe('reading invoices', () => {
    it('answers 400 naming patientId when it is missing or not a UUID, 404 for an unknown invoice', async () => {
      for (const query of ['', '?patientId=nope']) {
        const response = await http('GET', `/billing/invoices${query}`);
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ errors: { patientId: 'patientId must be a UUID' } });
      }
      expect((await http('GET', `/billing/invoices/${randomUUID()}`)).status).toBe(404);
      expect(await invoicesOf(randomUUID())).toEqual([]);
    });
  });

  describe('who may do what, straight at the service', () => {
    let invoice: InvoiceBody;
    beforeAll(async () => {
      invoice = await freshInvoice();
    });

    /** http() options calling with this Authorization header (null: none) instead of a role's token. */
    const as = (authorization: string | null, headers: Record<string, string> = {}) => ({ role: null, headers: authorization ? { ...headers, authorization } : headers });
    itAnswersEveryCaller(
      [
        { route: 'GET /billing/invoices', allowed: ['ADMIN', 'BILLING'], success: 200, send: (auth: string | null) => http('GET', `/billing/invoices?patientId=${invoice.patientId}`, as(auth)) },
        { route: 'GET /billing/invoices/:id', allowed: ['ADMIN', 'BILLING'], success: 200, send: (auth: string | null) => http('GET', `/billing/invoices/${invoice.id}`, as(auth)) },
        {
          route: 'POST /billing/invoices/:id/payments',
          allowed: ['ADMIN', 'BILLING'],
          success: 201,
          send: (auth: string | null) => http('POST', `/billing/invoices/${invoice.id}/payments`, { ...as(auth, { 'idempotency-key': randomUUID() }), body: { amount: 1 } }),
        },
      ],
      () => t.issuer,
      (route, authorization) => route.send(authorization),
    );

    it('documents every invoice route with its roles in OpenAPI', () => {
      const paths = buildOpenApiDocument(t.app, { title: 'Billing', description: '' }).paths;
      for (const operation of [paths['/billing/invoices'].get!, paths['/billing/invoices/{id}'].get!, paths['/billing/invoices/{id}/payments'].post!]) {
        expect(operation.description).toContain('Roles: ADMIN, BILLING.');
        expect(operation.security).toEqual([{ bearer: [] }]);
      }
      const payment = paths['/billing/invoices/{id}/payments'].post!;
      expect(Object.keys(payment.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '404', '409']));
      expect(payment.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
    });

    it('is ready with the database, Kafka and Redis up', async () => {
      const response = await fetch(`${t.baseUrl}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ info: { database: { status: 'up' }, kafka: { status: 'up' }, redis: { status: 'up' } } });
    });
  });
});
