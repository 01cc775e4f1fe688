import { INestApplication } from '@nestjs/common';
import { type AuditDenialEvent, Topics, encodeAuditDenialEvent } from '@pm/contracts';
import { KafkaTopicProbe, TestTokenIssuer, recreateDatabase, waitFor } from '@pm/testing';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { startPatientApp } from '../testing/patient-test-app';
import { BillingTestServer } from '../testing/billing-test-server';

jest.setTimeout(60_000);

interface AuditPage {
  entries: { actorId: string | null; actorRole: string | null; action: string; patientIds: string[]; requestId: string | null; sourceIp: string | null; outcome: string; at: string; entryKind?: string | null }[];
  totalElements: number;
}

/** Real PostgreSQL and Kafka: the gateway's refusals, as events on `audit-denials`, become DENIED audit entries. */
describe('refusals decided by the gateway, from Kafka into the audit trail', () => {
  let app: INestApplication;
  let baseUrl: string;
  let billing: BillingTestServer;
  let issuer: TestTokenIssuer;
  let admin: string;
  let producer: Producer;
  let deadLetters: KafkaTopicProbe;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
    admin = await issuer.bearer('ADMIN', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    billing = await new BillingTestServer().start();
    const database = await recreateDatabase('patient_int_gateway_denials');
    // startPatientApp gives the app a consumer group of its own, at the topic's end.
    app = await startPatientApp({ database, issuer, billingUrl: billing.url });
    baseUrl = await app.getUrl();
    producer = new Kafka({ clientId: 'gateway-denials-int', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    deadLetters = await new KafkaTopicProbe([Topics.patientDeadLetter]).start();
  });

  afterAll(async () => {
    await deadLetters?.stop();
    await producer?.disconnect();
    await app?.close();
    await billing?.stop();
    await issuer?.stop();
  });

  const denial = (overrides: Partial<AuditDenialEvent> = {}): AuditDenialEvent => ({
    event_id: randomUUID(),
    occurred_at: Date.now(),
    actor_id: '',
    actor_role: '',
    action: 'DELETE',
    patient_id: randomUUID(),
    request_id: randomUUID(),
    source_ip: '127.0.0.9',
    status: 401,
    entry_kind: '',
    ...overrides,
  });

  const publish = (...values: Buffer[]) =>
    producer.send({ topic: Topics.auditDenials, acks: -1, messages: values.map((value) => ({ key: randomUUID(), value })) });

  async function denied(patientId: string): Promise<AuditPage> {
    const response = await fetch(`${baseUrl}/audit?outcome=DENIED&patientId=${patientId}`, { headers: { authorization: admin } });
    expect(response.status).toBe(200);
    return (await response.json()) as AuditPage;
  }

  async function eventually(patientId: string, count: number): Promise<AuditPage> {
    let page: AuditPage | undefined;
    await waitFor(async () => (page = await denied(patientId)).totalElements >= count, { timeoutMs: 30_000, description: `${count} DENIED entries` });
    return page!;
  }

  it('writes a 403 with its actor and a 401 without one, as DENIED, listed by GET /audit?outcome=DENIED', async () => {
    const patientId = randomUUID();
    const doctorId = randomUUID();
    const forbidden = denial({ patient_id: patientId, actor_id: doctorId, actor_role: 'DOCTOR', status: 403, occurred_at: Date.now() - 1000 });
    const unauthenticated = denial({ patient_id: patientId, action: 'READ' });
    await publish(encodeAuditDenialEvent(forbidden), encodeAuditDenialEvent(unauthenticated));
    const page = await eventually(patientId, 2);
    expect(page.entries).toMatchObject([
      { at: new Date(unauthenticated.occurred_at).toISOString(), actorId: null, actorRole: null, action: 'READ', patientIds: [patientId], requestId: unauthenticated.request_id, sourceIp: '127.0.0.9', outcome: 'DENIED' },
      { at: new Date(forbidden.occurred_at).toISOString(), actorId: doctorId, actorRole: 'DOCTOR', action: 'DELETE', patientIds: [patientId], requestId: forbidden.request_id, sourceIp: '127.0.0.9', outcome: 'DENIED' },
    ]);
  });

  it("keeps the kind of clinical entry a refused request was about", async () => {
    const patientId = randomUUID();
    await publish(encodeAuditDenialEvent(denial({ patient_id: patientId, action: 'LIST', actor_role: 'ANALYST', status: 403, entry_kind: 'allergies' })));
    const page = await eventually(patientId, 1);
    expect(page.entries).toMatchObject([{ action: 'LIST', actorRole: 'ANALYST', entryKind: 'allergies', outcome: 'DENIED' }]);
  });

  it('writes a redelivered event once', async () => {
    const patientId = randomUUID();
    const event = encodeAuditDenialEvent(denial({ patient_id: patientId }));
    await publish(event, event);
    await publish(event);
    // A later event of the same patient shows the earlier ones were handled.
    await publish(encodeAuditDenialEvent(denial({ patient_id: patientId, action: 'UPDATE' })));
    const page = await eventually(patientId, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await denied(patientId)).entries.map((entry) => entry.action).sort()).toEqual(['DELETE', 'UPDATE']);
    expect(page.totalElements).toBe(2);
  });

  it('dead-letters what is not a refusal (undecodable, unknown action, bad id) on patient-dead-letter and goes on with the next', async () => {
    const patientId = randomUUID();
    const poison = { undecodable: randomUUID(), action: randomUUID(), eventId: randomUUID() };
    await producer.send({
      topic: Topics.auditDenials,
      acks: -1,
      messages: [
        { key: poison.undecodable, value: Buffer.from([0xff, 0xff, 0xff]) },
        { key: poison.action, value: encodeAuditDenialEvent(denial({ patient_id: patientId, action: 'DROP TABLE' })) },
        { key: poison.eventId, value: encodeAuditDenialEvent(denial({ patient_id: patientId, event_id: 'not-a-uuid' })) },
        { key: randomUUID(), value: encodeAuditDenialEvent(denial({ patient_id: patientId, action: 'RESTORE' })) },
      ],
    });
    const page = await eventually(patientId, 1);
    const reasons = await Promise.all(
      Object.values(poison).map(async (key) => (await deadLetters.waitFor((m) => m.key === key, 30_000)).headers['x-error']),
    );
    expect(reasons).toEqual([expect.stringMatching(/^undecodable: /), 'unusable action: action is not an audit action', 'unusable event_id: event_id must be a UUID']);
    expect((await denied(patientId)).entries.map((entry) => entry.action)).toEqual(['RESTORE']);
    expect(page.totalElements).toBe(1);
  });
});
