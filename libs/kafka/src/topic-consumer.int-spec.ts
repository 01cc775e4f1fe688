import { Logger } from '@nestjs/common';
import { KafkaTopicProbe, waitFor, undecodableDeadLetterHeaders } from '@pm/testing';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { EventPublisher } from './event-publisher';
import { KafkaConsumerRunner } from './kafka-consumer.runner';
import { createKafkaClient } from './kafka.module';
import { DeadLetterPublisher, type Route, TopicConsumer, route } from './topic-consumer';

const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

/** Applies `<n>` texts in order; fails the first `failures` attempts at a text, like a database that is away. */
class Ledger {
  readonly applied: string[] = [];
  readonly attempts = new Map<string, number>();
  failures = new Map<string, number>();

  async apply(text: string): Promise<'applied'> {
    const attempt = (this.attempts.get(text) ?? 0) + 1;
    this.attempts.set(text, attempt);
    if (attempt <= (this.failures.get(text) ?? 0)) throw new Error('database away');
    this.applied.push(text);
    return 'applied';
  }
}

function decodeText(value: Buffer): string {
  const text = value.toString('utf8');
  if (!/^[a-z0-9-]+$/.test(text)) throw new Error('not a text of this topic');
  return text;
}

class LedgerConsumer extends TopicConsumer {
  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly topic: string,
    deadLetterTopic: string,
    private readonly ledger: Ledger,
  ) {
    super(runner, deadLetters, { groupId: `topic-consumer-int-${randomUUID()}`, deadLetterTopic });
  }

  protected routes(): Route[] {
    return [route({ topic: this.topic, decode: decodeText, apply: (text) => this.ledger.apply(text) })];
  }
}

describe('TopicConsumer against the real Kafka', () => {
  const topic = `topic-consumer-int-${randomUUID()}`;
  const deadLetterTopic = `${topic}-dead-letter`;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let runner: KafkaConsumerRunner;
  let publisher: EventPublisher;
  let probe: KafkaTopicProbe;
  const ledger = new Ledger();

  beforeAll(async () => {
    // The retried failures are logged by KafkaJS on purpose; the test reads the outcome, not the logs.
    Logger.overrideLogger(false);
    kafka = createKafkaClient({ clientId: 'topic-consumer-int', brokers: BROKERS });
    admin = kafka.admin();
    await admin.connect();
    // One partition: the order of every message is the order they were sent in.
    await admin.createTopics({ waitForLeaders: true, topics: [topic, deadLetterTopic].map((t) => ({ topic: t, numPartitions: 1, replicationFactor: 1 })) });
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    probe = await new KafkaTopicProbe([deadLetterTopic], BROKERS).start();
    runner = new KafkaConsumerRunner(kafka);
    publisher = new EventPublisher(kafka);
    new LedgerConsumer(runner, new DeadLetterPublisher(publisher), topic, deadLetterTopic, ledger).onApplicationBootstrap();
  }, 60_000);

  afterAll(async () => {
    await runner?.beforeApplicationShutdown();
    await publisher?.onApplicationShutdown();
    await probe?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
    await admin?.disconnect();
  }, 60_000);

  it('dead-letters a poison message as it came and applies the good one behind it', async () => {
    const poison = Buffer.from('Jane Roe \xff not a text');
    const [sent] = await producer.send({ topic, acks: -1, messages: [{ key: 'k-poison', value: poison }, { key: 'k-good', value: 'good-1' }] });

    await waitFor(async () => ledger.applied.includes('good-1'), { timeoutMs: 40_000, description: 'the good message to be applied' });
    const dead = await probe.waitFor((m) => m.key === 'k-poison', 40_000);
    expect(dead.value?.equals(poison)).toBe(true);
    expect(dead.headers).toEqual(undecodableDeadLetterHeaders(topic, sent.partition, sent.baseOffset));
    expect(probe.messages.filter((m) => m.key === 'k-good')).toEqual([]);
  }, 60_000);

  it('retries a transient failure without skipping it: nothing behind it is applied first, nothing is dead-lettered', async () => {
    ledger.failures.set('flaky', 2);
    await producer.send({ topic, acks: -1, messages: ['before', 'flaky', 'after'].map((value) => ({ key: value, value })) });

    await waitFor(async () => ledger.applied.includes('after'), { timeoutMs: 40_000, description: 'the message after the flaky one' });
    expect(ledger.attempts.get('flaky')).toBe(3);
    const tail = ledger.applied.slice(ledger.applied.indexOf('before'));
    expect(tail).toEqual(['before', 'flaky', 'after']);
    expect(probe.messages.filter((m) => ['before', 'flaky', 'after'].includes(m.key ?? ''))).toEqual([]);
  }, 60_000);
});
