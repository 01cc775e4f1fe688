import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { safeErrorSummary } from '@pm/logging';
import { NewAuditEntry } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';

export const FLUSH_INTERVAL_MS = 100;
export const FLUSH_BATCH_SIZE = 100;
const RETRY_AFTER_MS = 1000;
// Far above any real backlog; beyond it the oldest entries go (loudly) rather than the process.
const MAX_QUEUED = 100_000;

/**
 * Write-behind audit trail: `record` only queues (a request never waits for the database); the
 * queue is written with one multi-row INSERT every FLUSH_INTERVAL_MS or FLUSH_BATCH_SIZE entries,
 * kept and retried while the database refuses, and written completely before shutdown.
 */
@Injectable()
export class AuditTrail implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AuditTrail.name);
  private queue: NewAuditEntry[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(private readonly repository: AuditRepository) {}

  record(entry: NewAuditEntry): void {
    this.queue.push(entry);
    if (this.queue.length > MAX_QUEUED) {
      const dropped = this.queue.splice(0, this.queue.length - MAX_QUEUED).length;
      this.logger.error({ dropped }, 'Audit queue overflowed; oldest entries dropped');
    }
    if (this.queue.length >= FLUSH_BATCH_SIZE) this.flush().catch(() => undefined);
    else this.schedule(FLUSH_INTERVAL_MS);
  }

  /** How many entries wait to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Writes what is queued now (one batch at a time); failures keep the entries for a retry. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, FLUSH_BATCH_SIZE * 5);
      try {
        await this.repository.insertMany(batch);
      } catch (error) {
        this.queue.unshift(...batch);
        this.logger.warn({ error: safeErrorSummary(error), pending: this.queue.length }, 'Audit entries not written yet; will retry');
        this.schedule(RETRY_AFTER_MS);
        throw error;
      }
    }
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined);
    }, ms);
    this.timer.unref();
  }

  /** Before the database connection closes (its own shutdown hook): write everything queued. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    if (this.queue.length > 0) this.logger.error({ lost: this.queue.length }, 'Audit entries could not be written before shutdown');
  }

  private async drain(): Promise<void> {
    for (let attempt = 0; attempt < 3 && (this.queue.length > 0 || this.flushing); attempt += 1) {
      await this.flush().catch(() => new Promise((resolve) => setTimeout(resolve, 200)));
    }
  }
}
