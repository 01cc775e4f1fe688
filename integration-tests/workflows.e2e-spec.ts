import { randomUUID } from 'node:crypto';
import { waitFor } from '@pm/testing';
import { analyticsLag, http, login } from './support/clients';
import { gatewayUrl } from './support/system';

jest.setTimeout(90_000);

const ALL_TOPICS = ['patient', 'appointment', 'billing'];
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The hospital's workflows across services, as clients drive them through the gateway: a visit is
 * booked, checked in and completed; billing invoices it by itself; the patient pays (idempotently);
 * analytics, fed only by events, agrees with what the other services say.
 */
describe('workflows: appointments → billing → analytics', () => {
  let admin: string;
  let doctorId: string;
  let patientId: string;
  const visitDay = new Date(Date.now() + 5 * 86_400_000);
  const at = (hour: number) => {
    const start = new Date(visitDay);
    start.setUTCHours(hour, 0, 0, 0);
    return { startTime: start.toISOString(), endTime: new Date(start.getTime() + 30 * 60_000).toISOString() };
  };

  beforeAll(async () => {
    admin = await login();
    // A doctor of this run alone, so analytics' per-doctor counts are this test's.
    const doctor = await http('POST', '/auth/users', {
      token: admin,
      body: { email: `dr.${randomUUID().slice(0, 8)}@example.com`, password: `Visit-${randomUUID()}`, role: 'DOCTOR' },
    });
    expect(doctor.status).toBe(201);
    doctorId = doctor.body.id;
    const unique = randomUUID().slice(0, 8);
    const patient = await http('POST', '/api/patients', {
      token: admin,
      body: { name: `Wanda Workflow ${unique}`, email: `wanda.${unique}@example.com`, address: '3 Flow St', dateOfBirth: '1970-01-01', registeredDate: '2024-01-01' },
    });
    expect(patient.status).toBe(201);
    patientId = patient.body.id;
  });

  const book = (hour: number, reason: string) =>
    waitFor(async () => {
      const attempt = await http('POST', '/api/appointments', { token: admin, body: { patientId, doctorId, reason, ...at(hour) } });
      // Until the appointment service has read the patient's event it does not know the patient.
      return attempt.status === 400 && attempt.body.errors?.patientId ? undefined : attempt;
    }, { description: 'the appointment service to know the patient' });

  it('invoices a completed visit, takes an idempotent partial payment, refuses overpayment, and analytics agrees', async () => {
    await waitFor(async () => (await analyticsLag(ALL_TOPICS)) === 0, { timeoutMs: 30_000, description: 'analytics to catch up' });
    const today = dayOf(new Date());
    const revenueBefore = (await http('GET', `/api/analytics/revenue?from=${today}&to=${today}`, { token: admin })).body;

    // Live updates, through the gateway, while the workflow runs.
    const updates: string[] = [];
    const stream = new AbortController();
    const streaming = fetch(`${gatewayUrl}/api/analytics/stream`, { headers: { authorization: `Bearer ${admin}` }, signal: stream.signal }).then(async (response) => {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) updates.push(decoder.decode(chunk));
    }).catch((error: Error) => {
      if (error.name !== 'AbortError') throw error;
    });

    const visit = await book(10, 'Completed visit');
    const missed = await book(11, 'Missed visit');
    const cancelled = await book(12, 'Cancelled visit');
    for (const booked of [visit, missed, cancelled]) expect(booked.status).toBe(201);

    expect((await http('POST', `/api/appointments/${visit.body.id}/check-in`, { token: admin })).status).toBe(200);
    expect((await http('POST', `/api/appointments/${visit.body.id}/complete`, { token: admin })).status).toBe(200);
    expect((await http('POST', `/api/appointments/${missed.body.id}/no-show`, { token: admin })).status).toBe(200);
    expect((await http('POST', `/api/appointments/${cancelled.body.id}/cancel`, { token: admin })).status).toBe(200);
    // The status machine: a completed visit cannot be cancelled.
    const illegal = await http('POST', `/api/appointments/${visit.body.id}/cancel`, { token: admin });
    expect(illegal.status).toBe(409);

    // Billing invoices the completed visit by itself, from the appointment event.
    const invoice = await waitFor(async () => {
      const listed = await http('GET', `/api/billing/invoices?patientId=${patientId}`, { token: admin });
      return listed.body.invoices?.find((i: { appointmentId: string }) => i.appointmentId === visit.body.id);
    }, { timeoutMs: 20_000, description: 'the invoice of the completed visit' });
    expect(invoice).toMatchObject({ status: 'OPEN', paidMinor: 0, currency: 'EUR' });
    expect(Number.isInteger(invoice.totalMinor)).toBe(true);
    const listed = await http('GET', `/api/billing/invoices?patientId=${patientId}`, { token: admin });
    expect(listed.body.invoices).toHaveLength(1);

    // The same Idempotency-Key, sent twice at once, charges once.
    const key = randomUUID();
    const pay = (amount: number, idempotencyKey: string) =>
      http('POST', `/api/billing/invoices/${invoice.id}/payments`, { token: admin, body: { amount }, headers: { 'idempotency-key': idempotencyKey } });
    const first = Math.floor(invoice.totalMinor / 2);
    const [a, b] = await Promise.all([pay(first, key), pay(first, key)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id ?? a.body.paymentId).toBe(b.body.id ?? b.body.paymentId);
    expect((await pay(invoice.totalMinor, randomUUID())).status).toBe(409);
    expect((await pay(invoice.totalMinor - first, randomUUID())).status).toBe(201);
    const account = await http('GET', `/api/billing/accounts/${patientId}`, { token: admin });
    expect(account.body.balance).toEqual({ amountMinor: 0, currency: 'EUR' });

    // Analytics, fed only by events, equals what the appointment and billing services say.
    await waitFor(async () => (await analyticsLag(ALL_TOPICS)) === 0, { timeoutMs: 30_000, description: 'analytics to apply the workflow' });
    const day = dayOf(visitDay);
    const summary = (await http('GET', `/api/analytics/appointments/summary?from=${day}&to=${day}`, { token: admin })).body;
    const mine = summary.byDoctor.find((d: { doctorId: string }) => d.doctorId === doctorId);
    const truth = (await http<{ status: string }[]>('GET', `/api/appointments?from=${day}T00:00:00Z&to=${dayOf(new Date(visitDay.getTime() + 86_400_000))}T00:00:00Z&doctorId=${doctorId}`, { token: admin })).body;
    const truthByStatus = truth.reduce<Record<string, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {});
    expect(mine.byStatus).toMatchObject(truthByStatus);
    expect(truthByStatus).toEqual({ COMPLETED: 1, NO_SHOW: 1, CANCELLED: 1 });

    const revenueAfter = (await http('GET', `/api/analytics/revenue?from=${today}&to=${today}`, { token: admin })).body;
    expect(revenueAfter.invoicedMinor - revenueBefore.invoicedMinor).toBe(invoice.totalMinor);
    expect(revenueAfter.collectedMinor - revenueBefore.collectedMinor).toBe(invoice.totalMinor);

    await waitFor(() => updates.join('').includes('"type":"revenue"') && updates.join('').includes('"type":"appointments"'), { description: 'stream updates' });
    stream.abort();
    await streaming;
  });

  it('ends the analytics stream within seconds of a logout', async () => {
    const token = await login('analyst@test.com', 'password123');
    const response = await fetch(`${gatewayUrl}/api/analytics/stream`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(20_000) });
    expect(response.status).toBe(200);
    expect((await http('POST', '/auth/logout', { token })).status).toBe(204);
    const loggedOutAt = Date.now();
    const text = await response.text();
    expect(Date.now() - loggedOutAt).toBeLessThan(5000);
    expect(text).toMatch(/^event: session-ended\n(id: \d+\n)?data: \{"reason":"revoked"\}$/m);
  });
});
