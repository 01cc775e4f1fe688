import { metricsRegistry } from '@pm/platform';
import type { ConsumedMessage } from './kafka-consumer.runner';
import type { RecordingConsumerRunner } from './kafka-fakes';
import { DEAD_LETTERED, DeadLetterPublisher, type MessageContext, PoisonMessageError, type Route, TopicConsumer, idempotencyKeyFor, route } from './topic-consumer';
import { undecodableDeadLetterHeaders, useConsumerFakes } from '@pm/testing';

interface Greeting {
  id: string;
  name: string;
}

class GreetingRejected extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The service a route calls: records what it was given, answers or fails as told. */
class FakeGreetings {
  readonly applied: { greeting: Greeting; context: MessageContext }[] = [];
  answer: 'greeted' | 'duplicate' | 'invalid' = 'greeted';
  failWith?: Error;
  async greet(greeting: Greeting, context: MessageContext): Promise<'greeted' | 'duplicate' | 'invalid'> {
    if (this.failWith) throw this.failWith;
    this.applied.push({ greeting, context });
    return this.answer;
  }
}

const encode = (greeting: Greeting) => Buffer.from(JSON.stringify(greeting));
function decode(value: Buffer): Greeting {
  const parsed: unknown = JSON.parse(value.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || !('id' in parsed) || !('name' in parsed)) throw new Error('not a greeting');
  return { id: String(parsed.id), name: String(parsed.name) };
}

class GreetingsConsumer extends TopicConsumer {
  constructor(
    runner: RecordingConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly greetings: FakeGreetings,
  ) {
    super(runner, deadLetters, { groupId: 'greeter', deadLetterTopic: 'greeter-dead-letter' });
  }

  protected routes(): Route[] {
    return [
      route({
        topic: 'greetings',
        decode,
        validate: (g) => (g.name.trim() ? undefined : { field: 'name', message: 'name must not be blank' }),
        idempotencyKey: (g) => g.id,
        apply: (g, context) => this.greetings.greet(g, context),
        invalidOutcomes: ['invalid'],
        invalidErrors: [GreetingRejected],
      }),
      route({ topic: 'farewells', decode, apply: async () => 'waved' }),
    ];
  }
}

const message = (value: Buffer | null, overrides: Partial<ConsumedMessage> = {}): ConsumedMessage => ({
  topic: 'greetings',
  partition: 1,
  offset: '42',
  key: 'k-1',
  value,
  headers: {},
  timestamp: '1700000000000',
  ...overrides,
});

const counted = async (topic: string, outcome: string) => {
  const metric = await metricsRegistry.getSingleMetric('kafka_messages_consumed_total')?.get();
  return metric?.values.find((v) => v.labels.group === 'greeter' && v.labels.topic === topic && v.labels.outcome === outcome)?.value ?? 0;
};

describe('TopicConsumer', () => {
  const kafka = useConsumerFakes();
  let greetings: FakeGreetings;
  let consumer: GreetingsConsumer;

  beforeEach(() => {
    greetings = new FakeGreetings();
    consumer = new GreetingsConsumer(kafka.runner, kafka.deadLetters, greetings);
  });

  it("joins its group on every route's topic, from the beginning, and hands the messages to consume", async () => {
    consumer.onApplicationBootstrap();
    expect(kafka.runner.started).toEqual([expect.objectContaining({ groupId: 'greeter', topics: ['greetings', 'farewells'], fromBeginning: true })]);
    await kafka.runner.started[0].handle(message(encode({ id: 'g-1', name: 'Ada' })));
    expect(greetings.applied).toHaveLength(1);
  });

  it('hands the decoded event, its place and its idempotency key to the service, and counts the outcome', async () => {
    const before = await counted('greetings', 'greeted');
    await consumer.consume(message(encode({ id: 'g-1', name: 'Ada' })));
    expect(greetings.applied).toEqual([
      { greeting: { id: 'g-1', name: 'Ada' }, context: { topic: 'greetings', partition: 1, offset: '42', timestamp: '1700000000000', idempotencyKey: 'g-1' } },
    ]);
    expect(await counted('greetings', 'greeted')).toBe(before + 1);
    expect(kafka.broker.published).toEqual([]);
  });

  it('keys an event without an id by its place, so a redelivery is still recognised', async () => {
    await consumer.consume(message(encode({ id: '', name: 'Ada' })));
    expect(greetings.applied[0].context.idempotencyKey).toBe('greetings:1:42');
  });

  it('counts a duplicate the service recognised', async () => {
    greetings.answer = 'duplicate';
    const before = await counted('greetings', 'duplicate');
    await consumer.consume(message(encode({ id: 'g-1', name: 'Ada' })));
    expect(await counted('greetings', 'duplicate')).toBe(before + 1);
  });

  it.each([
    ['random bytes', Buffer.from([0xff, 0xfe, 0x07])],
    ['a tombstone', null],
  ])('dead-letters %s as it came, with where it came from and why, and never calls the service', async (_what, value) => {
    const before = await counted('greetings', DEAD_LETTERED);
    await expect(consumer.consume(message(value))).resolves.toBeUndefined();
    expect(greetings.applied).toEqual([]);
    expect(kafka.broker.published).toEqual([
      {
        topic: 'greeter-dead-letter',
        key: 'k-1',
        value: value ?? Buffer.alloc(0),
        headers: undecodableDeadLetterHeaders('greetings', 1, '42'),
      },
    ]);
    expect(await counted('greetings', DEAD_LETTERED)).toBe(before + 1);
  });

  it('dead-letters an event its route finds invalid, naming the field', async () => {
    await consumer.consume(message(encode({ id: 'g-1', name: ' ' })));
    expect(greetings.applied).toEqual([]);
    expect(kafka.broker.published.map((e) => e.headers?.['x-error'])).toEqual(['unusable name: name must not be blank']);
  });

  it('dead-letters an event the service answers is invalid', async () => {
    greetings.answer = 'invalid';
    await consumer.consume(message(encode({ id: 'g-1', name: 'Ada' })));
    expect(kafka.broker.published.map((e) => e.headers?.['x-error'])).toEqual(['unusable: the service answered invalid']);
  });

  it("dead-letters an event the service refuses with one of the route's invalid errors", async () => {
    greetings.failWith = new GreetingRejected('id', 'id must be a UUID');
    await consumer.consume(message(encode({ id: 'g-1', name: 'Ada' })));
    expect(kafka.broker.published.map((e) => e.headers?.['x-error'])).toEqual(['unusable id: id must be a UUID']);
  });

  it('dead-letters a message with no key under an empty key', async () => {
    await consumer.consume(message(Buffer.from('x'), { key: null }));
    expect(kafka.broker.published[0].key).toBe('');
  });

  it('logs a dead letter by its place, never its payload', async () => {
    await consumer.consume(message(encode({ id: 'g-1', name: ' ' }), { offset: '7' }));
    expect(kafka.warnings).toContainEqual([expect.objectContaining({ topic: 'greetings', partition: 1, offset: '7', reason: 'unusable name' }), expect.any(String)]);
    await consumer.consume(message(Buffer.from('Jane Roe, jane@example.com')));
    expect(JSON.stringify(kafka.warnings)).not.toContain('Jane');
  });

  it('throws any other failure, uncounted, so Kafka delivers the message again', async () => {
    greetings.failWith = new Error('connection refused');
    const before = await counted('greetings', DEAD_LETTERED);
    await expect(consumer.consume(message(encode({ id: 'g-1', name: 'Ada' })))).rejects.toThrow('connection refused');
    expect(kafka.broker.published).toEqual([]);
    expect(await counted('greetings', DEAD_LETTERED)).toBe(before);
  });

  it('throws when the dead-letter topic refuses a poison message, so it is delivered again and not counted', async () => {
    kafka.broker.failWith = new Error('broker down');
    const before = await counted('greetings', DEAD_LETTERED);
    await expect(consumer.consume(message(Buffer.from([0xff])))).rejects.toThrow();
    expect(await counted('greetings', DEAD_LETTERED)).toBe(before);
  });

  it('routes each topic to its own route', async () => {
    const before = await counted('farewells', 'waved');
    await consumer.consume(message(encode({ id: 'f-1', name: 'Ada' }), { topic: 'farewells' }));
    expect(greetings.applied).toEqual([]);
    expect(await counted('farewells', 'waved')).toBe(before + 1);
  });

  it('skips a message of a topic it has no route for', async () => {
    await expect(consumer.consume(message(encode({ id: 'g-1', name: 'Ada' }), { topic: 'elsewhere' }))).resolves.toBeUndefined();
    expect(greetings.applied).toEqual([]);
    expect(kafka.broker.published).toEqual([]);
  });
});

describe('route', () => {
  it('throws PoisonMessageError naming the reason, for tools that run a route without a consumer', async () => {
    const greetingRoute = route({ topic: 'greetings', decode, apply: async () => 'greeted' });
    await expect(greetingRoute.process(message(Buffer.from('{')))).rejects.toEqual(expect.any(PoisonMessageError));
    await expect(greetingRoute.process(message(Buffer.from('{')))).rejects.toMatchObject({ reason: 'undecodable' });
    await expect(greetingRoute.process(message(encode({ id: 'g', name: 'Ada' })))).resolves.toBe('greeted');
  });

  it('leaves the idempotency key out when the route declares none', async () => {
    let seen: MessageContext | undefined;
    const plain = route({ topic: 'greetings', decode, apply: async (_g, context) => ((seen = context), 'ok') });
    await plain.process(message(encode({ id: 'g', name: 'Ada' })));
    expect(seen).toEqual({ topic: 'greetings', partition: 1, offset: '42', timestamp: '1700000000000' });
  });
});

describe('idempotencyKeyFor', () => {
  it('is the declared key, or the place when the event carries none', () => {
    expect(idempotencyKeyFor('e-1', { topic: 't', partition: 0, offset: '5' })).toBe('e-1');
    expect(idempotencyKeyFor('', { topic: 't', partition: 0, offset: '5' })).toBe('t:0:5');
  });
});
