import { type ClinicalEvent, encodeClinicalEvent } from '@pm/contracts';
import { FakeHandler, consumedMessage, typedFake, useConsumerFakes } from '@pm/testing';
import { ClinicalEventsConsumer } from './clinical-events.consumer';
import type { DocumentationOutcome, VisitDocumentationService } from './visit-documentation.service';

describe('ClinicalEventsConsumer', () => {
  const kafka = useConsumerFakes();
  let documentation: FakeHandler<ClinicalEvent, DocumentationOutcome>;
  let consumer: ClinicalEventsConsumer;

  const event: ClinicalEvent = {
    event_id: '5b1f0c0e-2d4a-4c7e-9f3b-1a2b3c4d5e6f',
    event_type: 'VISIT_DOCUMENTED',
    appointment_id: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
    patient_id: '123e4567-e89b-12d3-a456-426614174000',
    note_id: '0b0f7a53-4a43-4c5e-9d43-0c6d1a2b3c4d',
    occurred_at: 1893492000000,
  };

  const message = (value: Buffer | null) => consumedMessage({ topic: 'clinical', partition: 1, offset: '7', key: event.appointment_id }, value);

  beforeEach(() => {
    documentation = new FakeHandler<ClinicalEvent, DocumentationOutcome>('documented');
    consumer = new ClinicalEventsConsumer(kafka.runner, kafka.deadLetters, typedFake<VisitDocumentationService>({ apply: documentation.handle }), {
      KAFKA_CONSUMER_GROUP: 'appointment',
    });
  });

  it('reads the clinical topic from the beginning in a group of its own', () => {
    consumer.onApplicationBootstrap();
    expect(kafka.runner.started).toEqual([expect.objectContaining({ groupId: 'appointment-clinical', topics: ['clinical'], fromBeginning: true })]);
  });

  it.each<DocumentationOutcome>(['documented', 'unchanged', 'ignored'])('hands a decoded event to the service and moves on when it answers %s', async (outcome) => {
    documentation.answer = outcome;
    await consumer.consume(message(encodeClinicalEvent(event)));
    expect(documentation.received).toEqual([event]);
    expect(kafka.broker.published).toEqual([]);
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]), /^undecodable: /],
    ['a tombstone', null, /^undecodable: /],
    ['an unknown event type', encodeClinicalEvent({ ...event, event_type: 'VISIT_FORGOTTEN' as ClinicalEvent['event_type'] }), /^undecodable: Unknown ClinicalEvent/],
    ['an appointment id that is no UUID', encodeClinicalEvent({ ...event, appointment_id: 'tomorrow' }), /^unusable appointment_id: appointment_id must be a UUID$/],
    ['a patient id that is no UUID', encodeClinicalEvent({ ...event, patient_id: 'jane' }), /^unusable patient_id: /],
    ['a note id that is no UUID', encodeClinicalEvent({ ...event, note_id: '42' }), /^unusable note_id: /],
  ])('dead-letters %s on appointment-dead-letter without calling the service', async (_name, value, reason) => {
    await expect(consumer.consume(message(value))).resolves.toBeUndefined();
    expect(documentation.received).toEqual([]);
    expect(kafka.broker.published).toEqual([expect.objectContaining({ topic: 'appointment-dead-letter', key: event.appointment_id, value: value ?? Buffer.alloc(0) })]);
    expect(kafka.broker.published[0].headers?.['x-error']).toMatch(reason);
    expect(kafka.warnings).toHaveLength(1);
  });

  it('lets other failures propagate so Kafka redelivers', async () => {
    documentation.failWith = new Error('database away');
    await expect(consumer.consume(message(encodeClinicalEvent(event)))).rejects.toThrow('database away');
    expect(kafka.broker.published).toEqual([]);
  });
});
