import { Logger } from '@nestjs/common';
import { PatientEvent, Topics, encodePatientEvent } from '@pm/contracts';
import type { ConsumedMessage, ConsumerSpec, KafkaConsumerRunner } from '@pm/kafka';
import type { AnalyticsConfig } from '../config/analytics.config';
import { PatientEventsHandler } from '../patients/patient-events.handler';
import type { PatientStatsService } from '../patients/patient-stats.service';
import { AnalyticsEventsConsumer } from './analytics-events.consumer';
import { undecodableEvents } from './event-metrics';
import type { ApplyOutcome, EventPosition } from './event-position';
import { UnusableEventError } from './unusable-event.error';

class FakeConsumerRunner implements Pick<KafkaConsumerRunner, 'start'> {
  readonly started: ConsumerSpec[] = [];
  start(spec: ConsumerSpec): void {
    this.started.push(spec);
  }
}

class FakePatientStatsService implements Pick<PatientStatsService, 'apply'> {
  readonly applied: { event: PatientEvent; position: EventPosition }[] = [];
  failWith?: Error;
  async apply(event: PatientEvent, position: EventPosition): Promise<ApplyOutcome> {
    if (this.failWith) throw this.failWith;
    this.applied.push({ event, position });
    return 'applied';
  }
}

const patientEvent: PatientEvent = {
  patientId: '11111111-1111-4111-8111-111111111111',
  name: 'Jane Roe',
  email: 'jane.roe@example.com',
  event_type: 'PATIENT_CREATED',
  event_id: 'e-1',
  occurred_at: 1_700_000_000_000,
};

const message = (value: Buffer | null, overrides: Partial<ConsumedMessage> = {}): ConsumedMessage => ({
  topic: Topics.patient,
  partition: 2,
  offset: '17',
  key: patientEvent.patientId,
  value,
  headers: {},
  timestamp: '1700000000500',
  ...overrides,
});

const undecodableCount = async () => (await undecodableEvents.get()).values.find((v) => v.labels.topic === 'patient')?.value ?? 0;

describe('AnalyticsEventsConsumer', () => {
  let runner: FakeConsumerRunner;
  let stats: FakePatientStatsService;
  let consumer: AnalyticsEventsConsumer;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    runner = new FakeConsumerRunner();
    stats = new FakePatientStatsService();
    const config: Pick<AnalyticsConfig, 'KAFKA_CONSUMER_GROUP'> = { KAFKA_CONSUMER_GROUP: 'analytics-test' };
    consumer = new AnalyticsEventsConsumer(
      runner as unknown as KafkaConsumerRunner,
      config,
      new PatientEventsHandler(stats as unknown as PatientStatsService),
    );
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('joins its consumer group on the patient topic, from the beginning', () => {
    consumer.onApplicationBootstrap();
    expect(runner.started).toEqual([
      expect.objectContaining({ groupId: 'analytics-test', topics: ['patient'], fromBeginning: true }),
    ]);
  });

  it('hands a decoded event and its place in Kafka to the service', async () => {
    await consumer.consume(message(encodePatientEvent(patientEvent)));
    expect(stats.applied).toEqual([
      { event: patientEvent, position: { topic: 'patient', partition: 2, offset: '17', timestamp: '1700000000500' } },
    ]);
  });

  it.each([
    ['random bytes', Buffer.from([0xff, 0xfe, 0x07, 0x13, 0x99])],
    ['an unknown event_type', encodePatientEvent({ ...patientEvent, event_type: 'PATIENT_MERGED' as never })],
    ['a tombstone', null],
  ])('skips %s: counted and logged by place, the service never called', async (_what, value) => {
    const before = await undecodableCount();
    await expect(consumer.consume(message(value))).resolves.toBeUndefined();
    expect(stats.applied).toHaveLength(0);
    expect(await undecodableCount()).toBe(before + 1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ topic: 'patient', partition: 2, offset: '17' }), expect.any(String));
  });

  it('skips an event the service refuses as unusable, without logging patient data', async () => {
    stats.failWith = new UnusableEventError('patientId', 'patientId must be a UUID');
    const before = await undecodableCount();
    await consumer.consume(message(encodePatientEvent(patientEvent)));
    expect(await undecodableCount()).toBe(before + 1);
    const logged = JSON.stringify(warn.mock.calls);
    expect(logged).not.toContain(patientEvent.name);
    expect(logged).not.toContain(patientEvent.email);
  });

  it('throws any other failure so Kafka delivers the message again', async () => {
    stats.failWith = new Error('connection refused');
    await expect(consumer.consume(message(encodePatientEvent(patientEvent)))).rejects.toThrow('connection refused');
  });
});
