import { Logger } from '@nestjs/common';
import { typedFake } from '@pm/testing';
import { IdempotencyKeyPurge, PURGE_BATCH_SIZE } from './idempotency-key-purge';
import { RegistrationRepository } from './registration.repository';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Expired keys to delete; a DELETE finishes when the test says so, or fails when told to. */
class FakeKeys implements Pick<RegistrationRepository, 'deleteExpiredIdempotencyKeys'> {
  expired = 0;
  calls = 0;
  failWith?: Error;
  private release?: () => void;
  hold = false;

  async deleteExpiredIdempotencyKeys(limit: number): Promise<number> {
    this.calls += 1;
    if (this.hold) await new Promise<void>((resolve) => (this.release = resolve));
    if (this.failWith) throw this.failWith;
    const deleted = Math.min(limit, this.expired);
    this.expired -= deleted;
    return deleted;
  }

  finish(): void {
    this.hold = false;
    this.release?.();
  }
}

describe('IdempotencyKeyPurge (every 15 minutes)', () => {
  let keys: FakeKeys;
  let purge: IdempotencyKeyPurge;
  let log: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    keys = new FakeKeys();
    purge = new IdempotencyKeyPurge(typedFake<RegistrationRepository>(keys));
    purge.onApplicationBootstrap();
  });

  afterEach(async () => {
    await purge.beforeApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('deletes the expired keys batch by batch and says how many', async () => {
    keys.expired = PURGE_BATCH_SIZE + 5;
    await jest.advanceTimersByTimeAsync(FIFTEEN_MINUTES);
    expect(keys.expired).toBe(0);
    expect(keys.calls).toBe(2);
    expect(log).toHaveBeenCalledWith({ deleted: PURGE_BATCH_SIZE + 5 }, 'Expired idempotency keys purged');
  });

  it('logs nothing when no key had expired', async () => {
    await jest.advanceTimersByTimeAsync(FIFTEEN_MINUTES);
    expect(keys.calls).toBe(1);
    expect(log).not.toHaveBeenCalled();
  });

  it('starts no second purge while one is still deleting', async () => {
    keys.hold = true;
    keys.expired = 3;
    await jest.advanceTimersByTimeAsync(2 * FIFTEEN_MINUTES);
    expect(keys.calls).toBe(1);
    keys.finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(log).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(FIFTEEN_MINUTES);
    expect(keys.calls).toBe(2);
  });

  it('warns on a failed purge and tries again next time', async () => {
    keys.failWith = new Error('database away');
    await jest.advanceTimersByTimeAsync(FIFTEEN_MINUTES);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ error: expect.anything() }), 'Expired idempotency keys not purged; will retry');
    keys.failWith = undefined;
    keys.expired = 1;
    await jest.advanceTimersByTimeAsync(FIFTEEN_MINUTES);
    expect(log).toHaveBeenCalledWith({ deleted: 1 }, 'Expired idempotency keys purged');
  });
});
