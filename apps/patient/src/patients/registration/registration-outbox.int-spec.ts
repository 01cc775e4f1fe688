import { Topics, decodeBillingAccountEvent, decodePatientEvent } from '@pm/contracts';
import { OutboxRelay } from '@pm/outbox';
import { KafkaTopicProbe, ProbedMessage, waitFor } from '@pm/testing';
import { Transactions } from '@pm/platform';
import { randomUUID } from 'node:crypto';
import { usePatientApp } from '../../testing/patient-test-context';
import { patientFactory } from '../../testing/patient-factory';
import { PatientEventsPublisher, patientEvent } from '../shared/patient-events.publisher';
import { billingAccountRequest } from './billing-account-request';
import { RegistrationRepository } from './registration.repository';

jest.setTimeout(60_000);

const QUEUE_AFTER_MS = 1500;

const newPatient = patientFactory('Outbox', '2024-03-01');
const run = newPatient.run;

describe('patient events through the transactional outbox (real PostgreSQL, Kafka, Redis)', () => {
  // Short, so the tests see an unconfirmed billing request published (the default is 10 s).
  const t = usePatientApp('patient_int_outbox', { BILLING_ACCOUNT_QUEUE_AFTER_MS: String(QUEUE_AFTER_MS) });
  let probe: KafkaTopicProbe;
  let billingRequests: KafkaTopicProbe;

  beforeAll(async () => {
    probe = await new KafkaTopicProbe(['patient']).start();
    billingRequests = await new KafkaTopicProbe([Topics.billingAccount]).start();
  });

  afterAll(async () => {
    await probe?.stop();
    await billingRequests?.stop();
  });

  const { send } = t;

  const eventTypeOf = (message: ProbedMessage) => decodePatientEvent(message.value!).event_type;
  const eventsFor = (patientId: string) => probe.messages.filter((m) => m.key === patientId);
  const pendingFor = async (patientId: string): Promise<number> =>
    (await t.dataSource.query('SELECT count(*)::int AS n FROM outbox_events WHERE message_key = $1 AND published_at IS NULL', [patientId]))[0].n;

  it("publishes each patient's events in the order of its changes, and deletes the delivered rows", async () => {
    const response = await send('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    for (let i = 0; i < 3; i += 1) {
      expect((await send('PUT', `/patients/${id}`, newPatient({ name: `Renamed ${run} ${i}` }))).status).toBe(200);
    }
    expect((await send('DELETE', `/patients/${id}`)).status).toBe(204);

    await probe.waitFor((m) => m.key === id && eventTypeOf(m) === 'PATIENT_DELETED');
    const events = eventsFor(id);
    expect(events.map(eventTypeOf)).toEqual(['PATIENT_CREATED', 'PATIENT_UPDATED', 'PATIENT_UPDATED', 'PATIENT_UPDATED', 'PATIENT_DELETED']);
    expect(events.slice(1, 4).map((m) => decodePatientEvent(m.value!).name)).toEqual([0, 1, 2].map((i) => `Renamed ${run} ${i}`));
    expect(new Set(events.map((m) => m.partition)).size).toBe(1);
    expect(await pendingFor(id)).toBe(0);
    // Delivered rows hold names and emails: none is kept (OUTBOX_RETENTION_SECONDS is 0).
    // Deleted in the relay's transaction, which commits just after Kafka accepted the batch.
    await waitFor(async () => (await t.dataSource.query('SELECT id FROM outbox_events WHERE message_key = $1', [id])).length === 0, {
      description: "the delivered rows' deletion",
    });
    expect(await t.dataSource.query('SELECT id FROM outbox_events WHERE published_at IS NOT NULL')).toEqual([]);
  });

  it("withdraws a registration's billing request once gRPC confirms it: billing-account never carries it", async () => {
    const response = await send('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect(t.billing.callsFor(id)).toHaveLength(1);
    expect(await t.dataSource.query('SELECT id FROM outbox_events WHERE message_key = $1 AND topic = $2', [id, Topics.billingAccount])).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, QUEUE_AFTER_MS + 1000));
    expect(billingRequests.messages.filter((m) => m.key === id)).toEqual([]);
  });

  it('publishes the billing request recorded with a patient when the process died before the gRPC call, after the configured wait', async () => {
    // The registration's transaction alone, as a crash right after its commit leaves it: no gRPC call follows.
    const registration = newPatient();
    const patient = await t.app.get(Transactions).run(async (tx) => {
      const p = await t.app.get(RegistrationRepository).insert(randomUUID(), registration, tx);
      await t.app.get(PatientEventsPublisher).record([patientEvent('PATIENT_CREATED', p, 'crash'), billingAccountRequest(p, 'crash', QUEUE_AFTER_MS)], tx);
      return p;
    });
    const committedAt = Date.now();
    await probe.waitFor((m) => m.key === patient.id);
    // Published only once gRPC had its chance; the patient event ahead of it did not wait.
    expect(billingRequests.messages.filter((m) => m.key === patient.id)).toEqual([]);
    const queued = await billingRequests.waitFor((m) => m.key === patient.id);
    expect(Date.now() - committedAt).toBeGreaterThanOrEqual(QUEUE_AFTER_MS - 100);
    expect(decodeBillingAccountEvent(queued.value!)).toMatchObject({
      patientId: patient.id,
      name: registration.name,
      email: registration.email,
      event_type: 'BILLING_ACCOUNT_CREATE_REQUESTED',
    });
    expect(t.billing.callsFor(patient.id)).toEqual([]);
  });

  it('records and publishes nothing for a change that rolls back', async () => {
    let attemptedId: string | undefined;
    // The outbox INSERT fails after the patient row was written: both must roll back.
    const failing = t.app.get(Transactions).run(async (tx) => {
      const patient = await t.app.get(RegistrationRepository).insert(randomUUID(), newPatient(), tx);
      attemptedId = patient.id;
      const event = patientEvent('PATIENT_CREATED', patient, 'rollback');
      // A null topic, which the outbox's NOT NULL column refuses (23502); typed as the string it fails to be.
      const nullTopic: string = JSON.parse('null');
      await t.app.get(PatientEventsPublisher).record([{ ...event, topic: nullTopic }], tx);
    });
    await expect(failing).rejects.toThrow(/SQLSTATE 23502/);
    expect(attemptedId).toBeDefined();

    expect(await t.dataSource.query('SELECT id FROM patients WHERE id = $1', [attemptedId])).toEqual([]);
    expect(await t.dataSource.query('SELECT id FROM outbox_events WHERE message_key = $1', [attemptedId])).toEqual([]);

    // A refused update (email taken) publishes nothing either.
    const first = (await (await send('POST', '/patients', newPatient())).json()) as { id: string; email: string };
    const second = (await (await send('POST', '/patients', newPatient())).json()) as { id: string };
    expect((await send('PUT', `/patients/${second.id}`, newPatient({ email: first.email }))).status).toBe(409);
    await probe.waitFor((m) => m.key === first.id && eventTypeOf(m) === 'PATIENT_CREATED');
    await probe.waitFor((m) => m.key === second.id && eventTypeOf(m) === 'PATIENT_CREATED');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(eventsFor(second.id).map(eventTypeOf)).toEqual(['PATIENT_CREATED']);
    expect(eventsFor(attemptedId!)).toEqual([]);
  });

  it('answers 201 promptly while no relay runs, and delivers the event once one does', async () => {
    const relay = t.app.get(OutboxRelay);
    await relay.stop();
    try {
      const started = Date.now();
      const response = await send('POST', '/patients', newPatient());
      expect(response.status).toBe(201);
      expect(Date.now() - started).toBeLessThan(1000);
      const { id } = (await response.json()) as { id: string };

      expect(await pendingFor(id)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(eventsFor(id)).toEqual([]);

      relay.start();
      const message = await probe.waitFor((m) => m.key === id);
      expect(eventTypeOf(message)).toBe('PATIENT_CREATED');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await pendingFor(id)).toBe(0);
    } finally {
      relay.start();
    }
  });
});
