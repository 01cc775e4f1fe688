import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { safeErrorSummary } from '@pm/platform';
import { RegistrationRepository } from './registration.repository';

const PURGE_EVERY_MS = 15 * 60 * 1000;
// Small batches keep each DELETE short, so a large backlog never holds locks or WAL for long.
export const PURGE_BATCH_SIZE = 1000;

/**
 * Deletes expired idempotency keys now and then (they no longer replay; see
 * RegistrationService.createOnce). Every replica purges; batches skip each other's rows. Stops
 * before the database connection closes.
 */
@Injectable()
export class IdempotencyKeyPurge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IdempotencyKeyPurge.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(private readonly registrations: RegistrationRepository) {}

  onApplicationBootstrap(): void {
    // unref: a pending purge never keeps the process alive.
    this.timer = setInterval(() => this.purgeInBackground(), PURGE_EVERY_MS).unref();
  }

  /** Deletes every expired key, batch by batch (until shutdown begins); how many it deleted. */
  async purge(): Promise<number> {
    let total = 0;
    while (!this.stopping) {
      const deleted = await this.registrations.deleteExpiredIdempotencyKeys(PURGE_BATCH_SIZE);
      total += deleted;
      if (deleted < PURGE_BATCH_SIZE) break;
    }
    return total;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  private purgeInBackground(): void {
    if (this.running) return;
    this.running = this.purge()
      .then((deleted) => {
        if (deleted > 0) this.logger.log({ deleted }, 'Expired idempotency keys purged');
      })
      .catch((error: unknown) => this.logger.warn({ error: safeErrorSummary(error) }, 'Expired idempotency keys not purged; will retry'))
      .finally(() => (this.running = undefined));
  }
}
