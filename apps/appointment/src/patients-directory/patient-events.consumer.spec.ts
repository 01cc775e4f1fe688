import { Logger } from '@nestjs/common';
import { encodePatientEvent, type PatientEvent } from '@pm/contracts';
import { type ConsumedMessage, DeadLetterPublisher, RecordingConsumerRunner, RecordingEventPublisher } from '@pm/kafka';
import { typedFake } from '@pm/testing';
import { PatientEventsConsumer } from './patient-events.consumer';
import type { DirectoryOutcome, PatientsDirectoryService } from './patients-directory.service';

class FakeDirectory implements Pick<PatientsDirectoryService, 'apply'> {
  readonly applied: PatientEvent[] = [];
  answer: DirectoryOutcome = 'applied';
  failWith?: Error;
  async apply(event: PatientEvent): Promise<DirectoryOutcome> {
    if (this.failWith) throw this.failWith;
    this.applied.push(event);
    return this.answer;
  }
}

describe('PatientEventsConsumer', () => {
  let directory: FakeDirectory;
  let broker: RecordingEventPublisher;
  let runner: RecordingConsumerRunner;
  let consumer: PatientEventsConsumer;
  let warn: jest.SpyInstance;

  const event: PatientEvent = {
    patientId: '123e4567-e89b-12d3-a456-426614174000',
    name: 'Jane Roe',
    email: 'jane@example.com',
    event_type: 'PATIENT_UPDATED',
    event_id: 'e-1',
    occurred_at: 1893492000000,
  };

  const message = (value: Buffer | null): ConsumedMessage => ({
    topic: 'patient',
    partition: 2,
    offset: '41',
    key: null,
    value,
    headers: {},
    timestamp: '0',
  });

  beforeEach(() => {
    directory = new FakeDirectory();
    broker = new RecordingEventPublisher();
    runner = new RecordingConsumerRunner();
    consumer = new PatientEventsConsumer(runner, new DeadLetterPublisher(broker), typedFake<PatientsDirectoryService>(directory), { KAFKA_CONSUMER_GROUP: 'appointment' });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('reads the patient topic in the configured group', () => {
    consumer.onApplicationBootstrap();
    expect(runner.started).toEqual([expect.objectContaining({ groupId: 'appointment', topics: ['patient'], fromBeginning: true })]);
  });

  it('hands a decoded event to the directory', async () => {
    await consumer.consume(message(encodePatientEvent(event)));
    expect(directory.applied).toEqual([event]);
    expect(warn).not.toHaveBeenCalled();
    expect(broker.published).toEqual([]);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02])],
    ['an unknown event type', encodePatientEvent({ ...event, event_type: 'PATIENT_MERGED' as PatientEvent['event_type'] })],
    ['a tombstone', null],
  ])('dead-letters %s with a warning naming where it was, never the payload', async (_, value) => {
    await expect(consumer.consume(message(value))).resolves.toBeUndefined();
    expect(directory.applied).toEqual([]);
    expect(broker.published).toEqual([expect.objectContaining({ topic: 'appointment-dead-letter', value: value ?? Buffer.alloc(0) })]);
    expect(broker.published[0].headers?.['x-error']).toMatch(/^undecodable: /);
    expect(warn).toHaveBeenCalledTimes(1);
    const [where] = warn.mock.calls[0] as [Record<string, unknown>];
    expect(where).toMatchObject({ topic: 'patient', partition: 2, offset: '41' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('Jane');
  });

  it('dead-letters an event the directory finds invalid (a patientId that is no UUID)', async () => {
    directory.answer = 'invalid';
    await consumer.consume(message(encodePatientEvent({ ...event, patientId: 'not-a-uuid' })));
    expect(broker.published.map((e) => [e.topic, e.headers?.['x-error']])).toEqual([['appointment-dead-letter', 'unusable: the service answered invalid']]);
  });

  it('lets other failures propagate so Kafka redelivers', async () => {
    directory.failWith = new Error('database away');
    await expect(consumer.consume(message(encodePatientEvent(event)))).rejects.toThrow('database away');
    expect(broker.published).toEqual([]);
  });
});
