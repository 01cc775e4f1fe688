import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { safeErrorSummary } from '@pm/platform';
import { NewAuditEntry } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';
import { AuditUnavailableError } from './audit.errors';

/** The most entries one INSERT carries. */
export const MAX_BATCH_SIZE = 500;
export const RETRY_AFTER_MS = 1000;
// Far above any real backlog; beyond it the oldest unconfirmed entries go (loudly) rather than the process.
const MAX_QUEUED = 100_000;

interface Queued {
  entry: NewAuditEntry;
  /** The request waiting for this entry to be durable; none for an entry kept for a retry. */
  waiter?: { resolve: () => void; reject: (error: Error) => void };
}

/**
 * The audit trail, written before the response leaves (group commit): `record` resolves once its
 * entry is committed. Entries recorded while a write is in flight go together in the next
 * multi-row INSERT, so under load a write carries many requests and costs each one little; an idle
 * trail writes at once. A refused write rejects its waiters (their requests fail) and keeps the
 * entries for a retry; everything queued is written before shutdown.
 */
@Injectable()
export class AuditTrail implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AuditTrail.name);
  private queue: Queued[] = [];
  private scheduled?: NodeJS.Immediate | NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(private readonly repository: AuditRepository) {}

  /** Resolves when the entry is committed; AuditUnavailableError when the database refused it. */
  record(entry: NewAuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, waiter: { resolve, reject } });
      if (this.queue.length > MAX_QUEUED) this.dropOldest();
      // Entries of the same tick join this write; later ones wait for the write in flight.
      if (!this.flushing && !this.scheduled) this.scheduled = setImmediate(() => this.flushInBackground());
    });
  }

  /** How many entries wait to be written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Writes what is queued (one batch at a time, until none waits); a refusal keeps the entries for a retry. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.writeQueued().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private flushInBackground(): void {
    this.scheduled = undefined;
    this.flush().catch(() => undefined);
  }

  private async writeQueued(): Promise<void> {
    clearTimeout(this.scheduled as NodeJS.Timeout);
    clearImmediate(this.scheduled as NodeJS.Immediate);
    this.scheduled = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH_SIZE);
      try {
        await this.repository.insertMany(batch.map((queued) => queued.entry));
      } catch (error) {
        for (const { waiter } of batch) waiter?.reject(new AuditUnavailableError());
        // Written later all the same: the attempts happened even though they were refused.
        this.queue.unshift(...batch.map(({ entry }) => ({ entry })));
        this.logger.warn({ error: safeErrorSummary(error), pending: this.queue.length }, 'Audit entries not written yet; will retry');
        this.scheduled = setTimeout(() => this.flushInBackground(), RETRY_AFTER_MS);
        this.scheduled.unref();
        throw error;
      }
      for (const { waiter } of batch) waiter?.resolve();
    }
  }

  private dropOldest(): void {
    const dropped = this.queue.splice(0, this.queue.length - MAX_QUEUED);
    for (const { waiter } of dropped) waiter?.reject(new AuditUnavailableError());
    this.logger.error({ dropped: dropped.length }, 'Audit queue overflowed; oldest entries dropped');
  }

  /** Before the database connection closes (its own shutdown hook): write everything queued. */
  async beforeApplicationShutdown(): Promise<void> {
    for (let attempt = 0; attempt < 3 && (this.queue.length > 0 || this.flushing); attempt += 1) {
      await this.flush().catch(() => new Promise((resolve) => setTimeout(resolve, 200)));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.scheduled as NodeJS.Timeout);
    clearImmediate(this.scheduled as NodeJS.Immediate);
    if (this.queue.length > 0) this.logger.error({ lost: this.queue.length }, 'Audit entries could not be written before shutdown');
  }
}
