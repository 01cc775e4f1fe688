import { Logger } from '@nestjs/common';
import {
  AppointmentEvent,
  BillingEvent,
  PatientEvent,
  Topics,
  encodeAppointmentEvent,
  encodeBillingEvent,
  encodePatientEvent,
} from '@pm/contracts';
import { AppointmentEventsHandler } from '../appointments/appointment-events.handler';
import type { AppointmentStatsService } from '../appointments/appointment-stats.service';
import { BillingEventsHandler } from '../revenue/billing-events.handler';
import type { RevenueService } from '../revenue/revenue.service';
import { type ConsumedMessage, DeadLetterPublisher, RecordingConsumerRunner, RecordingEventPublisher } from '@pm/kafka';
import type { AnalyticsConfig } from '../config/analytics.config';
import { PatientEventsHandler } from '../patients/patient-events.handler';
import type { PatientStatsService } from '../patients/patient-stats.service';
import { AnalyticsEventsConsumer } from './analytics-events.consumer';
import { undecodableEvents } from './event-metrics';
import type { ApplyOutcome, EventPosition } from './event-position';
import { UnusableEventError } from './unusable-event.error';
import { typedFake, undecodableDeadLetterHeaders } from '@pm/testing';

class FakePatientStatsService implements Pick<PatientStatsService, 'apply'> {
  readonly applied: { event: PatientEvent; position: EventPosition }[] = [];
  failWith?: Error;
  async apply(event: PatientEvent, position: EventPosition): Promise<ApplyOutcome> {
    if (this.failWith) throw this.failWith;
    this.applied.push({ event, position });
    return 'applied';
  }
}

class FakeService<E> {
  readonly applied: { event: E; position: EventPosition }[] = [];
  async apply(event: E, position: EventPosition): Promise<ApplyOutcome> {
    this.applied.push({ event, position });
    return 'applied';
  }
}

/** What reached `analytics-dead-letter`: the original message and the reason. */
class FakeDeadLetters extends RecordingEventPublisher {
  get deadLetters() {
    return this.published.map((event) => ({ topic: event.topic, value: event.value, headers: event.headers }));
  }
}

const appointmentEvent: AppointmentEvent = {
  event_id: 'a-1',
  event_type: 'APPOINTMENT_SCHEDULED',
  appointment_id: 'appt-1',
  patient_id: '11111111-1111-4111-8111-111111111111',
  doctor_id: 'doc-1',
  start_time: 1_700_000_000_000,
  end_time: 1_700_001_800_000,
  status: 'SCHEDULED',
  occurred_at: 1_699_000_000_000,
  booked_by: '22222222-2222-4222-8222-222222222222',
};

const billingEvent: BillingEvent = {
  event_id: 'b-1',
  event_type: 'INVOICE_ISSUED',
  invoice_id: 'inv-1',
  account_id: 'acc-1',
  patient_id: '11111111-1111-4111-8111-111111111111',
  appointment_id: 'appt-1',
  amount_minor: 12_345,
  currency: 'EUR',
  invoice_total_minor: 12_345,
  invoice_paid_minor: 0,
  occurred_at: 1_700_000_000_000,
  payment_id: '',
};

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
  let runner: RecordingConsumerRunner;
  let stats: FakePatientStatsService;
  let appointments: FakeService<AppointmentEvent>;
  let revenue: FakeService<BillingEvent>;
  let deadLetters: FakeDeadLetters;
  let consumer: AnalyticsEventsConsumer;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    runner = new RecordingConsumerRunner();
    stats = new FakePatientStatsService();
    appointments = new FakeService();
    revenue = new FakeService();
    deadLetters = new FakeDeadLetters();
    const config: Pick<AnalyticsConfig, 'KAFKA_CONSUMER_GROUP'> = { KAFKA_CONSUMER_GROUP: 'analytics-test' };
    consumer = new AnalyticsEventsConsumer(
      runner,
      new DeadLetterPublisher(deadLetters),
      config,
      new PatientEventsHandler(typedFake<PatientStatsService>(stats)),
      new AppointmentEventsHandler(typedFake<AppointmentStatsService>(appointments)),
      new BillingEventsHandler(typedFake<RevenueService>(revenue)),
    );
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('joins one consumer group on the patient, appointment and billing topics, from the beginning', () => {
    consumer.onApplicationBootstrap();
    expect(runner.started).toEqual([
      expect.objectContaining({ groupId: 'analytics-test', topics: ['patient', 'appointment', 'billing'], fromBeginning: true }),
    ]);
  });

  it('hands an appointment event to the appointment service and a billing event to the revenue service', async () => {
    await consumer.consume(message(encodeAppointmentEvent(appointmentEvent), { topic: Topics.appointment, key: 'appt-1' }));
    await consumer.consume(message(encodeBillingEvent(billingEvent), { topic: Topics.billing, key: 'inv-1', offset: '3' }));
    expect(appointments.applied).toEqual([
      { event: appointmentEvent, position: { topic: 'appointment', partition: 2, offset: '17', timestamp: '1700000000500' } },
    ]);
    expect(revenue.applied).toEqual([
      { event: billingEvent, position: { topic: 'billing', partition: 2, offset: '3', timestamp: '1700000000500' } },
    ]);
    expect(stats.applied).toHaveLength(0);
    expect(deadLetters.published).toHaveLength(0);
  });

  it.each([Topics.patient, Topics.appointment, Topics.billing])(
    'sends an undecodable %s message to the dead-letter publisher with the reason',
    async (topic) => {
      const poison = message(Buffer.from([0xff, 0xfe, 0x07]), { topic, key: 'k-1' });
      await consumer.consume(poison);
      expect(deadLetters.deadLetters).toEqual([
        {
          topic: 'analytics-dead-letter',
          value: poison.value,
          headers: undecodableDeadLetterHeaders(topic, 2, '17'),
        },
      ]);
    },
  );

  it('sends an unusable event to the dead-letter publisher naming the field', async () => {
    stats.failWith = new UnusableEventError('patientId', 'patientId must be a UUID');
    await consumer.consume(message(encodePatientEvent(patientEvent)));
    expect(deadLetters.deadLetters.map((d) => d.headers?.['x-error'])).toEqual(['unusable patientId: patientId must be a UUID']);
  });

  it('throws when the dead-letter topic refuses the message, so it is delivered again and not counted', async () => {
    deadLetters.failWith = new Error('broker down');
    const before = await undecodableCount();
    await expect(consumer.consume(message(Buffer.from([0xff, 0xfe])))).rejects.toThrow('broker down');
    expect(await undecodableCount()).toBe(before);
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
  ])('dead-letters %s: counted and logged by place, the service never called', async (_what, value) => {
    const before = await undecodableCount();
    await expect(consumer.consume(message(value))).resolves.toBeUndefined();
    expect(stats.applied).toHaveLength(0);
    expect(await undecodableCount()).toBe(before + 1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ topic: 'patient', partition: 2, offset: '17' }), expect.any(String));
  });

  it('counts an event the service refuses as unusable, without logging patient data', async () => {
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
