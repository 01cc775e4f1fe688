import { type ClinicalEvent, Topics, decodeClinicalEvent, encodeClinicalEvent } from '@pm/contracts';
import { buildOpenApiDocument } from '@pm/platform';
import { KafkaTopicProbe, waitFor } from '@pm/testing';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { PatientsDirectoryService } from '../patients-directory/patients-directory.service';
import { KAFKA_BROKERS, useAppointmentApp } from '../testing/appointment-test-app';

// Joining a fresh consumer group and reading the topic from the beginning takes seconds.
jest.setTimeout(60_000);
const CONSUMED_WITHIN = { timeoutMs: 40_000, intervalMs: 200 };

interface AppointmentBody {
  id: string;
  patientId: string;
  documentedAt: string | null;
}

describe('appointments documented by visit notes from `clinical` (real PostgreSQL, Kafka)', () => {
  const t = useAppointmentApp('appointment_int_documented');
  let producer: Producer;
  let deadLetters: KafkaTopicProbe;
  let start = Date.parse('2032-03-01T08:00:00Z');

  beforeAll(async () => {
    const kafka = new Kafka({ clientId: 'appointment-int-documented', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
    deadLetters = await new KafkaTopicProbe([Topics.appointmentDeadLetter]).start();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await deadLetters?.stop();
  });

  const read = async (id: string): Promise<AppointmentBody> => {
    const response = await fetch(`${t.baseUrl}/appointments/${id}`, { headers: { authorization: t.doctor } });
    expect(response.status).toBe(200);
    return (await response.json()) as AppointmentBody;
  };

  /** A scheduled appointment of a patient the directory knows, in a slot of its own. */
  const scheduled = async (): Promise<AppointmentBody> => {
    const patientId = randomUUID();
    await t.app.get(PatientsDirectoryService).apply({ patientId, name: 'Documented Patient', email: '', event_type: 'PATIENT_CREATED', event_id: randomUUID(), occurred_at: Date.now() });
    start += 3_600_000;
    const response = await fetch(`${t.baseUrl}/appointments`, {
      method: 'POST',
      headers: { authorization: t.doctor, 'content-type': 'application/json' },
      body: JSON.stringify({ patientId, doctorId: randomUUID(), startTime: new Date(start).toISOString(), endTime: new Date(start + 1_800_000).toISOString(), reason: 'Sore throat' }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as AppointmentBody;
    expect(created.documentedAt).toBeNull();
    return created;
  };

  const visitDocumented = (appointment: Pick<AppointmentBody, 'id' | 'patientId'>, overrides: Partial<ClinicalEvent> = {}): ClinicalEvent => ({
    event_id: randomUUID(),
    event_type: 'VISIT_DOCUMENTED',
    appointment_id: appointment.id,
    patient_id: appointment.patientId,
    note_id: randomUUID(),
    occurred_at: Date.parse('2032-03-01T12:00:00Z'),
    ...overrides,
  });

  const publish = (...events: ClinicalEvent[]) =>
    producer.send({ topic: Topics.clinical, messages: events.map((event) => ({ key: event.appointment_id, value: encodeClinicalEvent(event) })) });

  const documented = (id: string) =>
    waitFor(async () => (await read(id)).documentedAt ?? undefined, { ...CONSUMED_WITHIN, description: `appointment ${id} documented` });

  it('marks the appointment documented at the time of the note, and a redelivery or a second note changes nothing', async () => {
    const appointment = await scheduled();
    const event = visitDocumented(appointment);
    await publish(event);
    expect(await documented(appointment.id)).toBe('2032-03-01T12:00:00.000Z');

    // The same event again, then a later note on the same visit; a marker event after them shows both were consumed.
    const marker = await scheduled();
    await publish(event, visitDocumented(appointment, { occurred_at: Date.parse('2032-03-02T09:00:00Z') }));
    await publish(visitDocumented(marker));
    await documented(marker.id);
    const after = await read(appointment.id);
    expect(after.documentedAt).toBe('2032-03-01T12:00:00.000Z');
    const listed = await fetch(`${t.baseUrl}/appointments?patientId=${appointment.patientId}&from=2032-01-01T00:00:00Z&to=2033-01-01T00:00:00Z`, { headers: { authorization: t.doctor } });
    expect(((await listed.json()) as AppointmentBody[]).map((a) => a.documentedAt)).toEqual(['2032-03-01T12:00:00.000Z']);
  });

  it("ignores a note that names another patient's appointment, and one that names no appointment at all", async () => {
    const appointment = await scheduled();
    const marker = await scheduled();
    await publish(visitDocumented(appointment, { patient_id: randomUUID() }), visitDocumented({ id: randomUUID(), patientId: appointment.patientId }));
    await publish(visitDocumented(marker));
    await documented(marker.id);
    expect((await read(appointment.id)).documentedAt).toBeNull();
    expect(deadLetters.messages.filter((m) => m.key === appointment.id)).toEqual([]);
  });

  it('dead-letters an event whose ids are no UUIDs, and goes on', async () => {
    const appointment = await scheduled();
    const poison = visitDocumented(appointment, { patient_id: 'not-a-patient' });
    await publish(poison);
    const dead = await deadLetters.waitFor((m) => m.key === appointment.id, CONSUMED_WITHIN.timeoutMs);
    expect(dead.headers).toMatchObject({ 'x-original-topic': Topics.clinical, 'x-error': 'unusable patient_id: patient_id must be a UUID' });
    expect(decodeClinicalEvent(dead.value!).event_id).toBe(poison.event_id);
    await publish(visitDocumented(appointment));
    await documented(appointment.id);
  });

  it('documents documentedAt in the OpenAPI answer of an appointment: a nullable date-time', () => {
    const schemas = buildOpenApiDocument(t.app, { title: 'Appointments', description: '' }).components?.schemas ?? {};
    const answer = schemas.AppointmentResponse as { properties: Record<string, Record<string, unknown>>; required?: string[] };
    expect(answer.properties.documentedAt).toMatchObject({ type: 'string', format: 'date-time', nullable: true });
    expect(answer.required).toContain('documentedAt');
  });
});
