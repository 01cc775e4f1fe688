import { Logger } from '@nestjs/common';
import type { AuditDenialEvent } from '@pm/contracts';
import { EventPublishError, type EventPublisher, type OutgoingEvent } from '@pm/kafka';
import { waitFor, typedFake } from '@pm/testing';
import { AuditDenialsPublisher } from './audit-denials.publisher';

/** Kafka that refuses while `down`, and remembers what it accepted. */
class FakeKafka implements Pick<EventPublisher, 'publish'> {
  down = false;
  attempts = 0;
  readonly accepted: OutgoingEvent[] = [];
  async publish(events: OutgoingEvent[]): Promise<void> {
    this.attempts += 1;
    if (this.down) throw new EventPublishError('Kafka did not accept the events: connect ECONNREFUSED');
    this.accepted.push(...events);
  }
}

const denial = (id: string): AuditDenialEvent => ({
  event_id: id,
  occurred_at: 1,
  actor_id: '',
  actor_role: '',
  action: 'READ',
  patient_id: '',
  request_id: `r-${id}`,
  source_ip: '127.0.0.1',
  status: 401,
  entry_kind: '',
});

describe('AuditDenialsPublisher', () => {
  let kafka: FakeKafka;
  let publisher: AuditDenialsPublisher;

  beforeEach(() => {
    kafka = new FakeKafka();
    publisher = new AuditDenialsPublisher(typedFake<EventPublisher>(kafka));
  });

  afterEach(() => publisher.beforeApplicationShutdown());

  it('sends each refusal to audit-denials, keyed by its event id', async () => {
    publisher.record(denial('a'));
    await waitFor(() => kafka.accepted.length === 1);
    expect(kafka.accepted[0]).toMatchObject({ topic: 'audit-denials', key: 'a' });
    expect(publisher.pending).toBe(0);
  });

  it('never throws to the caller while Kafka refuses, keeps the refusals and sends them once it is back', async () => {
    kafka.down = true;
    expect(() => ['a', 'b', 'c'].forEach((id) => publisher.record(denial(id)))).not.toThrow();
    await waitFor(() => kafka.attempts >= 2, { description: 'a retry' });
    expect(publisher.pending).toBe(3);
    kafka.down = false;
    await waitFor(() => publisher.pending === 0, { timeoutMs: 5000, description: 'the queue sent' });
    expect(kafka.accepted.map((event) => event.key)).toEqual(['a', 'b', 'c']);
  });
});

describe('AuditDenialsPublisher while Kafka stays away', () => {
  it('keeps at most 50 000 refusals, dropping the oldest loudly, and sends the rest once Kafka is back', async () => {
    const kafka = new FakeKafka();
    kafka.down = true;
    const publisher = new AuditDenialsPublisher(typedFake<EventPublisher>(kafka));
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      publisher.record(denial('first'));
      await waitFor(() => kafka.attempts === 1, { description: 'the first send, refused' });
      // A retry is scheduled: further refusals only queue, they do not each try Kafka.
      for (let i = 0; i < 50_000; i += 1) publisher.record(denial(`d-${i}`));
      expect(kafka.attempts).toBe(1);
      expect(publisher.pending).toBe(50_000);
      expect(error).toHaveBeenCalledWith({ dropped: 1 }, expect.stringContaining('oldest refusals dropped'));
      kafka.down = false;
      await waitFor(() => publisher.pending === 0, { timeoutMs: 5000, description: 'the queue sent' });
      expect(kafka.accepted).toHaveLength(50_000);
      expect(kafka.accepted[0].key).toBe('d-0');
    } finally {
      await publisher.beforeApplicationShutdown();
      jest.restoreAllMocks();
    }
  });
});
