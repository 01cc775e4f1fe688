import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { type AuditDenialEvent, Topics, encodeAuditDenialEvent } from '@pm/contracts';
import { EventPublisher } from '@pm/kafka';
import { safeErrorSummary } from '@pm/platform';

const BATCH_SIZE = 500;
const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;
// Hours of refusals at any plausible rate; beyond it the oldest go (loudly) rather than the memory.
const MAX_QUEUED = 50_000;
const SHUTDOWN_WAIT_MS = 5_000;

/**
 * Sends the gateway's refusals on patient routes to `audit-denials`, where the patient service
 * writes them to its audit trail. A request never waits for Kafka: `record` only queues, and the
 * queue is sent in the background, kept and retried (with back-off) while Kafka refuses, so a
 * broker or patient service that is briefly away loses nothing. Logs carry counts, never events.
 */
@Injectable()
export class AuditDenialsPublisher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditDenialsPublisher.name);
  private queue: AuditDenialEvent[] = [];
  private sending?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly events: EventPublisher) {}

  record(event: AuditDenialEvent): void {
    this.queue.push(event);
    if (this.queue.length > MAX_QUEUED) {
      const dropped = this.queue.splice(0, this.queue.length - MAX_QUEUED).length;
      this.logger.error({ dropped }, 'Audit denials queue overflowed (Kafka unreachable for long); oldest refusals dropped');
    }
    if (!this.retryTimer) void this.send();
  }

  /** Refusals not yet accepted by Kafka. */
  get pending(): number {
    return this.queue.length;
  }

  /** Sends what is queued (one run at a time); resolves when the queue is empty or a send failed. */
  send(): Promise<void> {
    this.sending ??= this.sendQueued().finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async sendQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, BATCH_SIZE);
      try {
        await this.events.publish(batch.map((event) => ({ topic: Topics.auditDenials, key: event.event_id, value: encodeAuditDenialEvent(event) })));
      } catch (error) {
        this.logger.warn({ error: safeErrorSummary(error), pending: this.queue.length, retryInMs: this.retryMs }, 'Audit denials not sent yet; will retry');
        this.scheduleRetry();
        return;
      }
      this.queue.splice(0, batch.length);
      this.retryMs = FIRST_RETRY_MS;
    }
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.send();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  /** Before the producer disconnects: one last try, bounded, to send what is queued. */
  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.queue.length === 0 && !this.sending) return;
    await Promise.race([this.send(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref())]);
    if (this.queue.length > 0) this.logger.error({ lost: this.queue.length }, 'Audit denials could not be sent before shutdown');
  }
}
