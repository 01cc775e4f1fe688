import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventPublisher, type OutgoingEvent } from '@pm/kafka';
import { safeErrorSummary, metricsRegistry } from '@pm/platform';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

export interface OutboxOptions {
  serviceName: string;
  /** How often an idle relay looks for new rows. */
  pollIntervalMs?: number;
  batchSize?: number;
  /**
   * How long a published row is kept (to debug) before it is deleted; 0, the default, deletes it
   * in the transaction that marks it published. Rows carry the events' payloads (patient names,
   * emails), so keep this short.
   */
  retentionSeconds?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: Buffer;
  headers: Record<string, string>;
}

const pending = new Gauge({
  name: 'outbox_pending_events',
  help: 'Events committed to the outbox and not yet accepted by Kafka',
  registers: [metricsRegistry],
  labelNames: ['service'] as const,
});
const published = new Counter({
  name: 'outbox_published_total',
  help: 'Events the outbox relay published to Kafka',
  registers: [metricsRegistry],
  labelNames: ['service'] as const,
});
const failures = new Counter({
  name: 'outbox_publish_failures_total',
  help: 'Outbox batches Kafka did not accept (retried with back-off)',
  registers: [metricsRegistry],
  labelNames: ['service'] as const,
});

// One relay per database at a time (advisory lock), so events leave in commit order per key.
const RELAY_LOCK = "hashtext('outbox-relay')";

/**
 * Publishes committed outbox rows to Kafka in id order and deletes them (or, with a retention,
 * marks them sent and deletes them later). A crash between commit and publish loses nothing: the
 * rows wait until a relay runs again. Kafka away: rows accumulate and flow, in order, when it
 * returns. A held row (OutboxEvent.holdMs) waits for its time; rows after it do not wait for it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly retentionSeconds: number;
  private stopping = false;
  private running?: Promise<void>;
  private wake?: () => void;
  private lastCleanup = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.batchSize = options.batchSize ?? 200;
    this.retentionSeconds = options.retentionSeconds ?? 0;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Look again shortly (after the writer's transaction has had time to commit). */
  wakeSoon(): void {
    setTimeout(() => this.wake?.(), 5).unref();
  }

  /** Publishes one batch; returns how many rows it published (0 when another relay holds the lock). */
  async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS locked`);
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, topic, message_key, payload, headers FROM outbox_events
         WHERE published_at IS NULL AND (publish_after IS NULL OR publish_after <= now())
         ORDER BY id LIMIT $1`,
        [this.batchSize],
      );
      if (rows.length === 0) return 0;
      const events: OutgoingEvent[] = rows.map((row) => ({
        topic: row.topic,
        key: row.message_key,
        value: row.payload,
        headers: row.headers,
      }));
      await this.publisher.publish(events);
      const ids = rows.map((r) => r.id);
      if (this.retentionSeconds === 0) await manager.query('DELETE FROM outbox_events WHERE id = ANY($1::bigint[])', [ids]);
      else await manager.query('UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])', [ids]);
      published.inc({ service: this.options.serviceName }, rows.length);
      return rows.length;
    });
  }

  async pendingCount(): Promise<number> {
    const [{ count }] = await this.dataSource.query('SELECT count(*)::int AS count FROM outbox_events WHERE published_at IS NULL');
    return count;
  }

  private async loop(): Promise<void> {
    let backoffMs = 0;
    while (!this.stopping) {
      let publishedNow = 0;
      try {
        publishedNow = await this.publishBatch();
        backoffMs = 0;
        await this.cleanUpNowAndThen();
      } catch (error) {
        failures.inc({ service: this.options.serviceName });
        backoffMs = Math.min(Math.max(backoffMs * 2, 500), 10_000);
        this.logger.warn({ error: safeErrorSummary(error), retryInMs: backoffMs }, 'Outbox relay could not publish; will retry');
      }
      if (this.stopping) break;
      if (publishedNow === this.batchSize && backoffMs === 0) continue;
      await this.sleep(backoffMs || this.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Deletes rows kept past the retention (and any a retention of 0 left from an earlier run). */
  async deleteExpired(): Promise<void> {
    await this.dataSource.query(`DELETE FROM outbox_events WHERE published_at < now() - make_interval(secs => $1)`, [this.retentionSeconds]);
  }

  private async cleanUpNowAndThen(): Promise<void> {
    // Every few seconds at most, and at least once per retention period.
    if (Date.now() - this.lastCleanup < Math.min(Math.max(this.retentionSeconds, 5), 60) * 1000) return;
    this.lastCleanup = Date.now();
    await this.deleteExpired();
    pending.set({ service: this.options.serviceName }, await this.pendingCount());
  }

  /** Before the database pool and the producer close: the batch in flight finishes first. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Idempotent; Nest calls it after beforeApplicationShutdown has already stopped the relay. */
  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }
}
