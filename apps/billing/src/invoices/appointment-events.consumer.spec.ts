import { Logger } from '@nestjs/common';
import { AppointmentEvent, encodeAppointmentEvent } from '@pm/contracts';
import type { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import type { BillingConfig } from '../config/billing.config';
import { AppointmentEventsConsumer } from './appointment-events.consumer';
import { AppointmentInvoicingOutcome, InvoicesService } from './invoices.service';

class FakeInvoicesService implements Pick<InvoicesService, 'invoiceAppointment'> {
  received: AppointmentEvent[] = [];
  failWith?: Error;
  async invoiceAppointment(event: AppointmentEvent): Promise<AppointmentInvoicingOutcome> {
    if (this.failWith) throw this.failWith;
    this.received.push(event);
    return 'issued';
  }
}

describe('AppointmentEventsConsumer', () => {
  const message = (value: Buffer): ConsumedMessage => ({ topic: 'appointment', partition: 1, offset: '7', key: 'k', value, headers: {}, timestamp: '0' });
  let invoices: FakeInvoicesService;
  let consumer: AppointmentEventsConsumer;
  let warnings: unknown[][];

  beforeEach(() => {
    invoices = new FakeInvoicesService();
    consumer = new AppointmentEventsConsumer({} as KafkaConsumerRunner, invoices as unknown as InvoicesService, { KAFKA_CONSUMER_GROUP: 'billing' } as BillingConfig);
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('hands a decoded event to invoicing', async () => {
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
    await consumer.handle(message(encodeAppointmentEvent(event)));
    expect(invoices.received).toEqual([expect.objectContaining({ event_id: 'e1', appointment_id: 'a1', start_time: 1_700_000_000_000 })]);
  });

  it('skips an undecodable message, logging where it was and not what it said', async () => {
    await expect(consumer.handle(message(Buffer.from('Jane Roe secret payload')))).resolves.toBeUndefined();
    expect(invoices.received).toEqual([]);
    expect(warnings).toEqual([[{ topic: 'appointment', partition: 1, offset: '7' }, 'Skipping an undecodable appointment event']]);
    expect(JSON.stringify(warnings)).not.toContain('Jane');
  });

  it('lets other failures propagate so Kafka redelivers', async () => {
    invoices.failWith = new Error('database away');
    const event = encodeAppointmentEvent({ event_id: 'e', event_type: 'APPOINTMENT_COMPLETED', appointment_id: 'a', patient_id: 'p', doctor_id: 'd', start_time: 1, end_time: 2, status: 'COMPLETED', occurred_at: 2 });
    await expect(consumer.handle(message(event))).rejects.toThrow('database away');
  });
});
