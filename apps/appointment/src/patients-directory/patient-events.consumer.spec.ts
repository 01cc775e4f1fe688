import { encodePatientEvent, type PatientEvent } from '@pm/contracts';
import { FakeHandler, consumedMessage, typedFake, useConsumerFakes } from '@pm/testing';
import { PatientEventsConsumer } from './patient-events.consumer';
import type { DirectoryOutcome, PatientsDirectoryService } from './patients-directory.service';

describe('PatientEventsConsumer', () => {
  const kafka = useConsumerFakes();
  let directory: FakeHandler<PatientEvent, DirectoryOutcome>;
  let consumer: PatientEventsConsumer;

  const event: PatientEvent = {
    patientId: '123e4567-e89b-12d3-a456-426614174000',
    name: 'Jane Roe',
    email: 'jane@example.com',
    event_type: 'PATIENT_UPDATED',
    event_id: 'e-1',
    occurred_at: 1893492000000,
  };

  const message = (value: Buffer | null) => consumedMessage({ topic: 'patient', partition: 2, offset: '41', key: null }, value);

  beforeEach(() => {
    directory = new FakeHandler<PatientEvent, DirectoryOutcome>('applied');
    consumer = new PatientEventsConsumer(kafka.runner, kafka.deadLetters, typedFake<PatientsDirectoryService>({ apply: directory.handle }), { KAFKA_CONSUMER_GROUP: 'appointment' });
  });

  it('reads the patient topic in the configured group', () => {
    consumer.onApplicationBootstrap();
    expect(kafka.runner.started).toEqual([expect.objectContaining({ groupId: 'appointment', topics: ['patient'], fromBeginning: true })]);
  });

  it('hands a decoded event to the directory', async () => {
    await consumer.consume(message(encodePatientEvent(event)));
    expect(directory.received).toEqual([event]);
    expect(kafka.warnings).toEqual([]);
    expect(kafka.broker.published).toEqual([]);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02])],
    ['an unknown event type', encodePatientEvent({ ...event, event_type: 'PATIENT_MERGED' as PatientEvent['event_type'] })],
    ['a tombstone', null],
  ])('dead-letters %s with a warning naming where it was, never the payload', async (_, value) => {
    await expect(consumer.consume(message(value))).resolves.toBeUndefined();
    expect(directory.received).toEqual([]);
    expect(kafka.broker.published).toEqual([expect.objectContaining({ topic: 'appointment-dead-letter', value: value ?? Buffer.alloc(0) })]);
    expect(kafka.broker.published[0].headers?.['x-error']).toMatch(/^undecodable: /);
    expect(kafka.warnings).toHaveLength(1);
    const [where] = kafka.warnings[0];
    expect(where).toMatchObject({ topic: 'patient', partition: 2, offset: '41' });
    expect(JSON.stringify(kafka.warnings)).not.toContain('Jane');
  });

  it('dead-letters an event the directory finds invalid (a patientId that is no UUID)', async () => {
    directory.answer = 'invalid';
    await consumer.consume(message(encodePatientEvent({ ...event, patientId: 'not-a-uuid' })));
    expect(kafka.broker.published.map((e) => [e.topic, e.headers?.['x-error']])).toEqual([['appointment-dead-letter', 'unusable: the service answered invalid']]);
  });

  it('lets other failures propagate so Kafka redelivers', async () => {
    directory.failWith = new Error('database away');
    await expect(consumer.consume(message(encodePatientEvent(event)))).rejects.toThrow('database away');
    expect(kafka.broker.published).toEqual([]);
  });
});
