import { Logger } from '@nestjs/common';
import { FailureCounter, FailureWindow, LoginAttempt, LoginThrottle, accountKey } from './login-throttle';

/** Counts per key in memory, like the Redis counter within one window. */
class MemoryFailureCounter implements FailureCounter {
  readonly counts = new Map<string, number>();
  msUntilReset = 600_000;
  down = false;

  async add(key: string): Promise<FailureWindow> {
    this.failIfDown();
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return { count, msUntilReset: this.msUntilReset };
  }

  async takeBack(key: string): Promise<void> {
    this.failIfDown();
    this.counts.set(key, (this.counts.get(key) ?? 0) - 1);
  }

  async reset(key: string): Promise<void> {
    this.failIfDown();
    this.counts.delete(key);
  }

  private failIfDown(): void {
    if (this.down) throw new Error('Redis connection is not ready');
  }
}

describe('LoginThrottle', () => {
  let accounts: MemoryFailureCounter;
  let ips: MemoryFailureCounter;
  let unavailable: number;
  let throttle: LoginThrottle;

  beforeEach(() => {
    accounts = new MemoryFailureCounter();
    ips = new MemoryFailureCounter();
    unavailable = 0;
    throttle = new LoginThrottle({ maxFailuresPerAccount: 3, maxFailuresPerIp: 5 }, accounts, ips, {
      unavailable: () => unavailable++,
    });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  const failTimes = async (times: number, email: string, ip: string): Promise<LoginAttempt[]> => {
    const attempts: LoginAttempt[] = [];
    for (let i = 0; i < times; i++) attempts.push(await throttle.attempt(email, ip));
    return attempts;
  };

  it('lets the first N failures of an account through and throttles the next, whatever the IP', async () => {
    const attempts = await failTimes(3, 'nurse@test.com', '203.0.113.1');
    expect(attempts.every((attempt) => !attempt.throttled)).toBe(true);
    await expect(throttle.attempt('nurse@test.com', '203.0.113.99')).resolves.toEqual({ throttled: true, retryAfterSeconds: 600 });
    // Another account from the same IP is not affected by this account's limit.
    await expect(throttle.attempt('doctor@test.com', '203.0.113.1')).resolves.toMatchObject({ throttled: false });
  });

  it('throttles an IP after N failures spread over many accounts', async () => {
    for (let i = 0; i < 5; i++) await expect(throttle.attempt(`user${i}@test.com`, '198.51.100.4')).resolves.toMatchObject({ throttled: false });
    await expect(throttle.attempt('fresh@test.com', '198.51.100.4')).resolves.toMatchObject({ throttled: true });
    await expect(throttle.attempt('fresh@test.com', '198.51.100.5')).resolves.toMatchObject({ throttled: false });
  });

  it('rounds Retry-After up to whole seconds, at least 1, and takes the longer wait when both are exceeded', async () => {
    await failTimes(5, 'a@test.com', '192.0.2.1');
    accounts.msUntilReset = 1_200;
    ips.msUntilReset = 30_001;
    await expect(throttle.attempt('a@test.com', '192.0.2.1')).resolves.toEqual({ throttled: true, retryAfterSeconds: 31 });
    ips.msUntilReset = 0;
    accounts.msUntilReset = 0;
    await expect(throttle.attempt('a@test.com', '192.0.2.1')).resolves.toEqual({ throttled: true, retryAfterSeconds: 1 });
  });

  it("a success forgets the account's failures and takes its own IP attempt back", async () => {
    await failTimes(2, 'nurse@test.com', '203.0.113.1');
    await throttle.succeeded(await throttle.attempt('nurse@test.com', '203.0.113.1'));
    expect(accounts.counts.get(accountKey('nurse@test.com'))).toBeUndefined();
    expect(ips.counts.get('203.0.113.1')).toBe(2);
    const again = await failTimes(3, 'nurse@test.com', '203.0.113.2');
    expect(again.every((attempt) => !attempt.throttled)).toBe(true);
  });

  it('keys accounts by a hash, so no email address is stored in Redis', async () => {
    await throttle.attempt('nurse@test.com', '203.0.113.1');
    expect([...accounts.counts.keys()]).toEqual([accountKey('nurse@test.com')]);
    expect(accountKey('nurse@test.com')).not.toContain('nurse');
  });

  it('fails open when the counters cannot be reached: not throttled, counted as unavailable, warned', async () => {
    ips.down = true;
    const attempt = await throttle.attempt('nurse@test.com', '203.0.113.1');
    expect(attempt).toMatchObject({ throttled: false, counted: false });
    expect(unavailable).toBe(1);
    expect(jest.mocked(Logger.prototype.warn)).toHaveBeenCalledWith(
      { reason: 'Redis connection is not ready' },
      expect.stringContaining('unthrottled'),
    );
    // Nothing was counted, so nothing is reset or taken back either.
    accounts.down = true;
    await throttle.succeeded(attempt);
    expect(unavailable).toBe(1);
  });

  it('still lets a successful login through when the counters fail while being reset', async () => {
    const attempt = await throttle.attempt('nurse@test.com', '203.0.113.1');
    accounts.down = true;
    await expect(throttle.succeeded(attempt)).resolves.toBeUndefined();
    expect(unavailable).toBe(1);
  });

  it('ignores success reports for throttled attempts', async () => {
    await expect(throttle.succeeded({ throttled: true, retryAfterSeconds: 5 })).resolves.toBeUndefined();
    expect(accounts.counts.size).toBe(0);
  });
});
