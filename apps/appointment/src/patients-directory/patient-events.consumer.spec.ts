import { Logger } from '@nestjs/common';
import { encodePatientEvent, type PatientEvent } from '@pm/contracts';
import type { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import type { AppointmentConfig } from '../config/appointment.config';
import { PatientEventsConsumer } from './patient-events.consumer';
import type { DirectoryOutcome, PatientsDirectoryService } from './patients-directory.service';

class FakeDirectory implements Pick<PatientsDirectoryService, 'apply'> {
  readonly applied: PatientEvent[] = [];
  async apply(event: PatientEvent): Promise<DirectoryOutcome> {
    this.applied.push(event);
    return 'applied';
  }
}

describe('PatientEventsConsumer', () => {
  let directory: FakeDirectory;
  let consumer: PatientEventsConsumer;
  let warn: jest.SpyInstance;

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
    consumer = new PatientEventsConsumer(
      {} as KafkaConsumerRunner,
      directory as unknown as PatientsDirectoryService,
      { KAFKA_CONSUMER_GROUP: 'appointment' } as AppointmentConfig,
    );
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('hands a decoded event to the directory', async () => {
    const event: PatientEvent = {
      patientId: '123e4567-e89b-12d3-a456-426614174000',
      name: 'Jane Roe',
      email: 'jane@example.com',
      event_type: 'PATIENT_UPDATED',
      event_id: 'e-1',
      occurred_at: 1893492000000,
    };
    await consumer.handle(message(encodePatientEvent(event)));
    expect(directory.applied).toEqual([event]);
    expect(warn).not.toHaveBeenCalled();
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02])],
    ['an unknown event type', encodePatientEvent({ patientId: 'p', event_type: 'PATIENT_MERGED' } as unknown as PatientEvent)],
    ['a tombstone', null],
  ])('skips %s with a warning naming where it was, never the payload', async (_, value) => {
    await expect(consumer.handle(message(value))).resolves.toBeUndefined();
    expect(directory.applied).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    const [where] = warn.mock.calls[0] as [Record<string, unknown>];
    expect(where).toEqual({ topic: 'patient', partition: 2, offset: '41' });
  });
});
