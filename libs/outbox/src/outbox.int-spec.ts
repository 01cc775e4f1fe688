import { createKafkaClient, EventPublisher, type OutgoingEvent } from '@pm/kafka';
import { KafkaTopicProbe, recreateDatabase, waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { outboxHeldEventsStatements, outboxTableStatements } from './outbox-table';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/** A publisher that refuses the first `failures` batches, standing in for a Kafka outage. */
class FlakyPublisher {
  calls = 0;
  constructor(
    private readonly real: EventPublisher,
    private failures: number,
  ) {}
  async publish(events: OutgoingEvent[]): Promise<void> {
    this.calls++;
    if (this.failures-- > 0) throw new Error('broker unavailable');
    await this.real.publish(events);
  }
}

describe('transactional outbox (real PostgreSQL and Kafka)', () => {
  let dataSource: DataSource;
  let publisher: EventPublisher;
  let probe: KafkaTopicProbe;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    const env = await recreateDatabase('outbox_int_test');
    dataSource = new DataSource({
      type: 'postgres',
      host: env.DB_HOST,
      port: Number(env.DB_PORT),
      username: env.DB_USER,
      password: env.DB_PASSWORD || undefined,
      database: env.DB_NAME,
    });
    await dataSource.initialize();
    for (const sql of [...outboxTableStatements(), ...outboxHeldEventsStatements()]) await dataSource.query(sql);
    publisher = new EventPublisher(createKafkaClient({ clientId: 'outbox-test', brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092' }));
    probe = await new KafkaTopicProbe(['patient']).start();
  });

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await probe?.stop();
    await publisher?.onApplicationShutdown();
    await dataSource?.destroy();
  }, 30_000);

  const relayWith = (events: Pick<EventPublisher, 'publish'>, retentionSeconds?: number) => {
    const relay = new OutboxRelay(dataSource, events as EventPublisher, { serviceName: 'test', pollIntervalMs: 50, retentionSeconds });
    relays.push(relay);
    return relay;
  };
  const event = (key: string, n: number): OutgoingEvent => ({ topic: 'patient', key, value: Buffer.from(`event-${n}`), headers: { 'x-n': String(n) } });

  it('publishes committed events in order per key, and never a rolled-back one', async () => {
    const relay = relayWith(publisher);
    const writer = new OutboxWriter(relay);
    const key = randomUUID();
    await dataSource.transaction((manager) => writer.add(manager, [event(key, 1), event(key, 2)]));
    await dataSource.transaction((manager) => writer.add(manager, [event(key, 3)]));
    await dataSource
      .transaction(async (manager) => {
        await writer.add(manager, [event(key, 99)]);
        throw new Error('the change failed');
      })
      .catch(() => undefined);

    relay.start();
    await waitFor(() => probe.messages.filter((m) => m.key === key).length >= 3, { description: 'three events' });
    await relay.stop();
    const values = probe.messages.filter((m) => m.key === key).map((m) => m.value!.toString());
    expect(values).toEqual(['event-1', 'event-2', 'event-3']);
    expect(probe.messages.find((m) => m.key === key)?.headers['x-n']).toBe('1');
    await expect(relay.pendingCount()).resolves.toBe(0);
    // Delivered rows carry the payloads (patient data): none is kept by default.
    expect(await dataSource.query('SELECT id FROM outbox_events WHERE message_key = $1', [key])).toEqual([]);
  });

  it('keeps delivered rows for the configured retention only', async () => {
    const relay = relayWith(publisher, 1);
    const writer = new OutboxWriter(relay);
    const key = randomUUID();
    await dataSource.transaction((manager) => writer.add(manager, [event(key, 1)]));
    await expect(relay.publishBatch()).resolves.toBeGreaterThanOrEqual(1);
    const kept = () => dataSource.query('SELECT published_at FROM outbox_events WHERE message_key = $1', [key]);
    expect(await kept()).toEqual([{ published_at: expect.any(Date) }]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await relay.deleteExpired();
    expect(await kept()).toEqual([]);
  });

  it('holds an event for its time unless withdrawn, without holding the events after it', async () => {
    const relay = relayWith(publisher);
    const writer = new OutboxWriter(relay);
    const [withdrawn, held, after] = [randomUUID(), randomUUID(), randomUUID()];
    await dataSource.transaction((manager) =>
      writer.add(manager, [
        { ...event(withdrawn, 1), holdMs: 1000 },
        { ...event(held, 2), holdMs: 1000 },
        event(after, 3),
      ]),
    );
    await expect(writer.withdraw(dataSource.manager, 'patient', withdrawn)).resolves.toBe(1);
    // An event without a hold is never withdrawn.
    await expect(writer.withdraw(dataSource.manager, 'patient', after)).resolves.toBe(0);
    const started = Date.now();
    relay.start();
    await waitFor(() => probe.messages.some((m) => m.key === after), { description: 'the event after the held ones' });
    expect(probe.messages.some((m) => m.key === held)).toBe(false);
    await waitFor(() => probe.messages.some((m) => m.key === held), { description: 'the held event, in its time' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    await relay.stop();
    expect(probe.messages.some((m) => m.key === withdrawn)).toBe(false);
  });

  it('keeps events while Kafka refuses them and delivers them, in order, when it accepts again', async () => {
    const flaky = new FlakyPublisher(publisher, 2);
    const relay = relayWith(flaky);
    const writer = new OutboxWriter(relay);
    const key = randomUUID();
    for (let n = 1; n <= 5; n++) await dataSource.transaction((manager) => writer.add(manager, [event(key, n)]));
    relay.start();
    await waitFor(() => probe.messages.filter((m) => m.key === key).length >= 5, { timeoutMs: 20_000, description: 'five events after the outage' });
    await relay.stop();
    expect(flaky.calls).toBeGreaterThanOrEqual(3);
    expect(probe.messages.filter((m) => m.key === key).map((m) => m.value!.toString())).toEqual(['event-1', 'event-2', 'event-3', 'event-4', 'event-5']);
  });

  it('loses nothing when the process stops between commit and publish: the next relay sends it', async () => {
    const stopped = relayWith(publisher);
    const key = randomUUID();
    // Committed while no relay runs (as if the service died right after the commit).
    await dataSource.transaction((manager) => new OutboxWriter(stopped).add(manager, [event(key, 1)]));
    await expect(stopped.pendingCount()).resolves.toBeGreaterThanOrEqual(1);
    const next = relayWith(publisher);
    next.start();
    await waitFor(() => probe.messages.some((m) => m.key === key), { description: 'the event after restart' });
    await next.stop();
  });

  it('lets only one relay publish at a time', async () => {
    const a = relayWith(publisher);
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query("SELECT pg_advisory_xact_lock(hashtext('outbox-relay'))");
    await dataSource.transaction((manager) => new OutboxWriter(a).add(manager, [event(randomUUID(), 1)]));
    await expect(a.publishBatch()).resolves.toBe(0);
    await holder.rollbackTransaction();
    await holder.release();
    await expect(a.publishBatch()).resolves.toBeGreaterThanOrEqual(1);
  });
});
