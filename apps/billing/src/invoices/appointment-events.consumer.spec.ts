import { AppointmentEvent, encodeAppointmentEvent } from '@pm/contracts';
import { FakeHandler, consumedMessage, typedFake, undecodableDeadLetterHeaders, useConsumerFakes } from '@pm/testing';
import { AppointmentEventsConsumer } from './appointment-events.consumer';
import { AppointmentInvoicingOutcome, InvoicesService } from './invoices.service';

describe('AppointmentEventsConsumer', () => {
  const message = (value: Buffer) => consumedMessage({ topic: 'appointment', partition: 1, offset: '7', key: 'k' }, value);
  const event: AppointmentEvent = {
    event_id: 'e1',
    event_type: 'APPOINTMENT_COMPLETED',
    appointment_id: 'a1',
    patient_id: 'p1',
    doctor_id: 'd1',
    start_time: 1_700_000_000_000,
    end_time: 1_700_000_900_000,
    status: 'COMPLETED',
    occurred_at: 1_700_000_900_000,
  };
  const kafka = useConsumerFakes();
  let invoices: FakeHandler<AppointmentEvent, AppointmentInvoicingOutcome>;
  let consumer: AppointmentEventsConsumer;

  beforeEach(() => {
    invoices = new FakeHandler<AppointmentEvent, AppointmentInvoicingOutcome>('issued');
    consumer = new AppointmentEventsConsumer(kafka.runner, kafka.deadLetters, typedFake<InvoicesService>({ invoiceAppointment: invoices.handle }), { KAFKA_CONSUMER_GROUP: 'billing' });
  });

  it('reads the appointment topic in the configured group', () => {
    consumer.onApplicationBootstrap();
    expect(kafka.runner.started).toEqual([expect.objectContaining({ groupId: 'billing', topics: ['appointment'], fromBeginning: true })]);
  });

  it('hands a decoded event to invoicing', async () => {
    await consumer.consume(message(encodeAppointmentEvent(event)));
    expect(invoices.received).toEqual([expect.objectContaining({ event_id: 'e1', appointment_id: 'a1', start_time: 1_700_000_000_000 })]);
    expect(kafka.broker.published).toEqual([]);
  });

  it('dead-letters an undecodable message to billing-dead-letter, logging where it was and not what it said', async () => {
    const poison = Buffer.from('Jane Roe secret payload');
    await expect(consumer.consume(message(poison))).resolves.toBeUndefined();
    expect(invoices.received).toEqual([]);
    expect(kafka.broker.published).toEqual([
      {
        topic: 'billing-dead-letter',
        key: 'k',
        value: poison,
        headers: undecodableDeadLetterHeaders('appointment', 1, '7'),
      },
    ]);
    expect(kafka.warnings).toEqual([[expect.objectContaining({ topic: 'appointment', partition: 1, offset: '7' }), expect.any(String)]]);
    expect(JSON.stringify(kafka.warnings)).not.toContain('Jane');
  });

  it('dead-letters an event whose ids invoicing finds invalid', async () => {
    invoices.answer = 'invalid';
    await consumer.consume(message(encodeAppointmentEvent(event)));
    expect(kafka.broker.published.map((e) => e.topic)).toEqual(['billing-dead-letter']);
  });

  it('warns, naming the appointment, when the account is in another currency, and moves on', async () => {
    invoices.answer = 'currency-mismatch';
    await consumer.consume(message(encodeAppointmentEvent(event)));
    expect(kafka.warnings).toEqual([[expect.objectContaining({ offset: '7', appointmentId: 'a1' }), "Not invoicing: the account's balance is in another currency"]]);
    expect(kafka.broker.published).toEqual([]);
  });

  it('lets other failures propagate so Kafka redelivers', async () => {
    invoices.failWith = new Error('database away');
    await expect(consumer.consume(message(encodeAppointmentEvent(event)))).rejects.toThrow('database away');
    expect(kafka.broker.published).toEqual([]);
  });
});
