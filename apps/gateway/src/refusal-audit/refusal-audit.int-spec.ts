import { Topics, decodeAuditDenialEvent } from '@pm/contracts';
import { KafkaTopicProbe, fetchFrom, freshLoopbackAddress, waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { closedPortUrl, useGatewayHarness } from '../testing/gateway-test-env';
import { AuditDenialsPublisher } from './audit-denials.publisher';

jest.setTimeout(60_000);

const patientId = '3f0c2a4e-8b1d-4c55-9a7e-2d6f1b0c9e11';

describe("the gateway's refusals on patient routes, sent to audit-denials (real Kafka, real Redis)", () => {
  let probe: KafkaTopicProbe;

  beforeAll(async () => {
    probe = await new KafkaTopicProbe([Topics.auditDenials]).start();
  });
  afterAll(() => probe?.stop());
  const harness = useGatewayHarness({}, { ready: true });

  // Other tests put undecodable messages on the topic too.
  const decoded = () =>
    probe.messages.flatMap((m) => {
      try {
        return [decodeAuditDenialEvent(m.value!)];
      } catch {
        return [];
      }
    });
  const eventOf = (requestId: string) =>
    waitFor(() => decoded().find((e) => e.request_id === requestId), {
      timeoutMs: 20_000,
      description: `the audit denial of ${requestId}`,
    });

  it("sends a NURSE's DELETE (403) with the actor, and a forged token (401) without one, from the client's address", async () => {
    const client = freshLoopbackAddress();
    const [forbiddenId, forgedId] = [randomUUID(), randomUUID()];
    const nurse = await harness.issuer.sign({ subject: 'nurse-7', claims: { role: 'NURSE' } });
    const forbidden = await fetchFrom(client, `${harness.gateway.url}/api/patients/${patientId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${nurse}`, 'x-request-id': forbiddenId, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(forbidden.status).toBe(403);
    const forged = await fetchFrom(client, `${harness.gateway.url}/api/patients?page=1`, { headers: { authorization: `Bearer ${nurse}x`, 'x-request-id': forgedId } });
    expect(forged.status).toBe(401);

    expect(await eventOf(forbiddenId)).toMatchObject({ actor_id: 'nurse-7', actor_role: 'NURSE', action: 'DELETE', patient_id: patientId, source_ip: client, status: 403 });
    expect(await eventOf(forgedId)).toMatchObject({ actor_id: '', actor_role: '', action: 'LIST', patient_id: '', source_ip: client, status: 401 });
  });

  it('sends a refusal on a FHIR clinical search with the patient it names and the entry kind, answered as an OperationOutcome', async () => {
    const requestId = randomUUID();
    const billing = await harness.issuer.sign({ subject: 'billing-3', claims: { role: 'BILLING' } });
    const refused = await fetch(`${harness.gateway.url}/fhir/R4/Observation?patient=Patient/${patientId}&category=vital-signs`, {
      headers: { authorization: `Bearer ${billing}`, 'x-request-id': requestId },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/fhir+json');
    expect(await eventOf(requestId)).toMatchObject({ actor_id: 'billing-3', actor_role: 'BILLING', action: 'LIST', patient_id: patientId, entry_kind: 'vitals', status: 403 });
  });

  it('sends nothing for refusals elsewhere or for requests the gateway lets through', async () => {
    const [elsewhere, allowed, marker] = [randomUUID(), randomUUID(), randomUUID()];
    await fetch(`${harness.gateway.url}/api/appointments`, { headers: { 'x-request-id': elsewhere } });
    const admin = await harness.issuer.sign({ subject: 'admin-1', claims: { role: 'ADMIN' } });
    expect((await fetch(`${harness.gateway.url}/api/patients`, { headers: { authorization: `Bearer ${admin}`, 'x-request-id': allowed } })).status).toBe(200);
    await fetch(`${harness.gateway.url}/api/patients`, { headers: { 'x-request-id': marker } });
    await eventOf(marker);
    const sent = decoded().map((e) => e.request_id);
    expect(sent).not.toContain(elsewhere);
    expect(sent).not.toContain(allowed);
  });
});

describe("the gateway's refusals while Kafka is unreachable", () => {
  const harness = useGatewayHarness(async () => ({ KAFKA_BROKERS: (await closedPortUrl()).replace('http://', '') }));

  it('answers at once and keeps the refusals queued for a retry', async () => {
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) expect((await fetch(`${harness.gateway.url}/api/patients/${patientId}`)).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1000);
    const publisher = harness.gateway.app.get(AuditDenialsPublisher);
    await waitFor(() => publisher.pending === 5, { description: 'five queued refusals' });
  });
});
