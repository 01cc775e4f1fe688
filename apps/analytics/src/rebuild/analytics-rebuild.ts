import { Transactions, dataSourceOptions } from '@pm/platform';
import { ConsumedMessage, PoisonMessageError, ignoreKafkajsNegativeTimeoutWarning } from '@pm/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppointmentEventsHandler } from '../appointments/appointment-events.handler';
import { AppointmentStatsRepository } from '../appointments/appointment-stats.repository';
import { AppointmentStatsService } from '../appointments/appointment-stats.service';
import type { AnalyticsConfig } from '../config/analytics.config';
import { analyticsSchema } from '../database/analytics-schema';
import type { TopicEventHandler } from '../events/topic-event.handler';
import { PatientEventsHandler } from '../patients/patient-events.handler';
import { PatientStatsRepository } from '../patients/patient-stats.repository';
import { PatientStatsService } from '../patients/patient-stats.service';
import { BillingEventsHandler } from '../revenue/billing-events.handler';
import { RevenueRepository } from '../revenue/revenue.repository';
import { RevenueService } from '../revenue/revenue.service';
import { AnalyticsUpdates } from '../stream/analytics-updates';

/** Per topic, per partition: the offset to stop before (the end offsets captured at start). */
export type StopOffsets = Map<string, Map<number, bigint>>;

export interface RebuildOptions {
  /** Where to stop; by default each partition's end when the rebuild starts. */
  stopAt?: StopOffsets;
  log?: (line: string) => void;
}

export interface RebuildResult {
  equal: boolean;
  differences: string[];
  applied: number;
  skipped: number;
  scratchDatabase: string;
}

type RebuildConfig = Pick<
  AnalyticsConfig,
  'DB_HOST' | 'DB_PORT' | 'DB_USER' | 'DB_PASSWORD' | 'DB_NAME' | 'DB_POOL_SIZE' | 'DB_SSL' | 'KAFKA_BROKERS' | 'KAFKA_CONSUMER_GROUP'
>;

const TOPICS = ['patient', 'appointment', 'billing'];
const MAX_DIFFERENCES_PER_TABLE = 20;

/** Each aggregate table as key → value text, zero rows left out (a count that went back to 0 equals none). */
const AGGREGATES: { table: string; sql: string }[] = [
  {
    table: 'patient_daily_counts',
    sql: `SELECT day::text AS key, concat_ws(',', created, updated, deleted) AS value
          FROM patient_daily_counts WHERE created + updated + deleted > 0`,
  },
  { table: 'patient_registry', sql: `SELECT patient_id::text AS key, concat_ws(',', deleted, last_event_at) AS value FROM patient_registry` },
  { table: 'appointment_states', sql: `SELECT appointment_id AS key, concat_ws(',', status, doctor_id, day) AS value FROM appointment_states` },
  {
    table: 'appointment_daily_counts',
    sql: `SELECT concat_ws('|', day, doctor_id, status) AS key, count::text AS value FROM appointment_daily_counts WHERE count > 0`,
  },
  {
    table: 'revenue_daily',
    sql: `SELECT concat_ws('|', day, currency) AS key, concat_ws(',', invoiced_minor, collected_minor) AS value
          FROM revenue_daily WHERE invoiced_minor <> 0 OR collected_minor <> 0`,
  },
];

async function recreateScratchDatabase(config: RebuildConfig, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unusable scratch database name ${name}`);
  const client = new Client({
    host: config.DB_HOST,
    port: config.DB_PORT,
    user: config.DB_USER,
    password: config.DB_PASSWORD || undefined,
    database: 'postgres',
    ssl: config.DB_SSL ? { rejectUnauthorized: true } : false,
  });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

/** The live service's apply code, wired to another database. */
function handlersFor(dataSource: DataSource): Map<string, TopicEventHandler> {
  const updates = new AnalyticsUpdates();
  const transactions = new Transactions(dataSource);
  const handlers: TopicEventHandler[] = [
    new PatientEventsHandler(new PatientStatsService(new PatientStatsRepository(dataSource), transactions, updates)),
    new AppointmentEventsHandler(new AppointmentStatsService(new AppointmentStatsRepository(dataSource), transactions, updates)),
    new BillingEventsHandler(new RevenueService(new RevenueRepository(dataSource), transactions, updates)),
  ];
  return new Map(handlers.map((h) => [h.route.topic, h]));
}

async function endOffsets(kafka: Kafka): Promise<StopOffsets> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const result: StopOffsets = new Map();
    for (const topic of TOPICS) {
      const offsets = await admin.fetchTopicOffsets(topic);
      result.set(topic, new Map(offsets.map((o) => [o.partition, BigInt(o.high)])));
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}

async function readAggregates(dataSource: DataSource): Promise<Map<string, Map<string, string>>> {
  const result = new Map<string, Map<string, string>>();
  for (const { table, sql } of AGGREGATES) {
    const rows: { key: string; value: string }[] = await dataSource.query(sql);
    result.set(table, new Map(rows.map((r) => [r.key, r.value])));
  }
  return result;
}

export function compareAggregates(live: Map<string, Map<string, string>>, rebuilt: Map<string, Map<string, string>>): string[] {
  const differences: string[] = [];
  for (const { table } of AGGREGATES) {
    const a = live.get(table) ?? new Map<string, string>();
    const b = rebuilt.get(table) ?? new Map<string, string>();
    const keys = [...new Set([...a.keys(), ...b.keys()])].filter((key) => a.get(key) !== b.get(key)).sort();
    for (const key of keys.slice(0, MAX_DIFFERENCES_PER_TABLE)) {
      differences.push(`${table} ${key}: live=${a.get(key) ?? '(none)'} rebuilt=${b.get(key) ?? '(none)'}`);
    }
    if (keys.length > MAX_DIFFERENCES_PER_TABLE) differences.push(`${table}: ${keys.length - MAX_DIFFERENCES_PER_TABLE} more differences`);
  }
  return differences;
}

/** Replays the three topics from the beginning into `<DB_NAME>_rebuild` and compares with the live tables. */
async function replay(config: RebuildConfig, scratch: DataSource, options: RebuildOptions): Promise<{ applied: number; skipped: number }> {
  const log = options.log ?? (() => undefined);
  ignoreKafkajsNegativeTimeoutWarning();
  const kafka = new Kafka({ clientId: 'analytics-rebuild', brokers: config.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const stopAt = options.stopAt ?? (await endOffsets(kafka));
  const pending = new Set<string>();
  for (const [topic, partitions] of stopAt) for (const [partition, end] of partitions) if (end > 0n) pending.add(`${topic}:${partition}`);
  log(`replaying ${pending.size} non-empty partitions up to the offsets captured at start`);

  const handlers = handlersFor(scratch);
  const groupId = `${config.KAFKA_CONSUMER_GROUP}-rebuild-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let applied = 0;
  let skipped = 0;
  let failure: Error | undefined;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  if (pending.size === 0) finish();

  await consumer.connect();
  try {
    await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const end = stopAt.get(topic)?.get(partition) ?? 0n;
        if (BigInt(message.offset) >= end || failure) return;
        const consumed: ConsumedMessage = {
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: {},
          timestamp: message.timestamp,
        };
        try {
          await handlers.get(topic)!.route.process(consumed);
          applied++;
        } catch (error) {
          // The live consumer dead-lettered these; here they are only skipped the same way.
          if (error instanceof PoisonMessageError) skipped++;
          else {
            failure = error as Error;
            finish();
            return;
          }
        }
        if (BigInt(message.offset) + 1n >= end) {
          pending.delete(`${topic}:${partition}`);
          if (pending.size === 0) finish();
        }
      },
    });
    await finished;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  if (failure) throw failure;
  return { applied, skipped };
}

export async function rebuildAndCompare(config: RebuildConfig, options: RebuildOptions = {}): Promise<RebuildResult> {
  const scratchDatabase = `${config.DB_NAME}_rebuild`;
  await recreateScratchDatabase(config, scratchDatabase);
  // Migrations run at initialize: the fresh tables are the live ones' exact shape.
  const scratch = new DataSource(dataSourceOptions({ ...config, DB_NAME: scratchDatabase }, analyticsSchema));
  const live = new DataSource({ ...dataSourceOptions(config, analyticsSchema), migrationsRun: false });
  await scratch.initialize();
  try {
    await live.initialize();
    const { applied, skipped } = await replay(config, scratch, options);
    const differences = compareAggregates(await readAggregates(live), await readAggregates(scratch));
    return { equal: differences.length === 0, differences, applied, skipped, scratchDatabase };
  } finally {
    if (live.isInitialized) await live.destroy();
    await scratch.destroy();
  }
}
