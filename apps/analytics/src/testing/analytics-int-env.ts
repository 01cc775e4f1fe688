import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@pm/platform';
import { Topics } from '@pm/contracts';
import { ignoreKafkajsNegativeTimeoutWarning } from '@pm/kafka';
import { TestTokenIssuer, recreateDatabase, waitFor } from '@pm/testing';
import { Kafka, Producer, logLevel } from 'kafkajs';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppModule } from '../app.module';
import { analyticsConfigSchema } from '../config/analytics.config';

export const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const analyticsTopics = [Topics.patient, Topics.appointment, Topics.billing];

export function testKafka(clientId: string): Kafka {
  ignoreKafkajsNegativeTimeoutWarning();
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Boots the whole analytics app on a random port, as main.ts does. */
export async function bootAnalytics(
  database: Record<string, string>,
  issuer: TestTokenIssuer,
  env: Record<string, string>,
): Promise<INestApplication> {
  const config = loadConfig(analyticsConfigSchema, 'analytics', {
    ...database,
    ...issuer.config,
    REDIS_URL,
    HTTP_PORT: '1',
    KAFKA_BROKERS: brokers,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.listen(0, '127.0.0.1');
  return nest;
}

/**
 * One describe's world: a token issuer, a database of its own, a Kafka client with a connected
 * producer, and the app under test (`app`, booted by bootApp, with its `baseUrl` and
 * `dataSource`). Filled in by useAnalyticsHarness.
 */
export class AnalyticsHarness {
  issuer: TestTokenIssuer;
  database: Record<string, string>;
  kafka: Kafka;
  producer: Producer;
  app: INestApplication | undefined;
  baseUrl: string;
  dataSource: DataSource;
  /** An analyst's Authorization header, valid for an hour: the caller of most tests. */
  analyst: string;

  /** `name` tells this describe's database and Kafka client apart from the others'. */
  async start(name: string): Promise<void> {
    this.issuer = await TestTokenIssuer.start();
    this.analyst = await this.issuer.bearer('ANALYST', { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    this.database = await recreateDatabase(`analytics_int_${name}`);
    this.kafka = testKafka(`analytics-${name}-int-test`);
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  /** Another app on the same database and issuer, which the caller closes. */
  boot(env: Record<string, string>): Promise<INestApplication> {
    return bootAnalytics(this.database, this.issuer, env);
  }

  /** Boots the app under test; close() (or closeApp) closes it. */
  async bootApp(env: Record<string, string>): Promise<INestApplication> {
    const app = await this.boot(env);
    this.app = app;
    this.baseUrl = await app.getUrl();
    this.dataSource = app.get(DataSource);
    return app;
  }

  async closeApp(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    await app?.close();
  }

  async close(): Promise<void> {
    await this.closeApp();
    await this.producer?.disconnect();
    await this.issuer?.stop();
  }
}

/** Starts an AnalyticsHarness before the describe's tests and closes it after them. */
export function useAnalyticsHarness(name: string): AnalyticsHarness {
  const harness = new AnalyticsHarness();
  beforeAll(() => harness.start(name), 60_000);
  afterAll(() => harness.close());
  return harness;
}

export type PartitionOffsets = Map<string, { partition: number; offset: string }[]>;

/** Each partition's next offset now, per topic. */
export async function endOffsets(kafka: Kafka, topics = analyticsTopics): Promise<PartitionOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result: PartitionOffsets = new Map();
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      result.set(topic, offsets.map((o) => ({ partition: o.partition, offset: o.high })));
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}

/** Commits offsets for a group that has no member: it then starts (or resumes) exactly there. */
export async function setGroupOffsets(kafka: Kafka, groupId: string, offsets: PartitionOffsets): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const [topic, partitions] of offsets) await admin.setOffsets({ groupId, topic, partitions });
  } finally {
    await admin.disconnect();
  }
}

export const processedCount = async (dataSource: DataSource, ids: string[]): Promise<number> =>
  (await dataSource.query('SELECT count(*)::int AS n FROM processed_events WHERE id = ANY($1)', [ids]))[0].n;

export const waitUntilProcessed = (dataSource: DataSource, ids: string[], timeoutMs = 30_000) =>
  waitFor(async () => (await processedCount(dataSource, ids)) === ids.length, {
    timeoutMs,
    intervalMs: 200,
    description: `${ids.length} events to be applied`,
  });

/** A day nobody else's events fall on (far in the future), so its aggregates are this test's alone. */
export function privateDay(): string {
  return new Date(Date.UTC(2200 + randomInt(800), randomInt(12), 1 + randomInt(28))).toISOString().slice(0, 10);
}

export const dayPlus = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const at = (day: string, time = '10:00:00') => Date.parse(`${day}T${time}Z`);
