import { GatewayRateLimiter, UNAVAILABLE_WARNING_INTERVAL_MS, type RateLimitReporter } from './gateway-rate-limiter';
import type { RateLimitSubject } from './rate-limit-policy';
import { RateLimitStoreUnavailableError, type ConsumedPoints, type RateLimitStore } from './rate-limit-store';

/** Counters in memory, one window that resets when told; or down. */
class FakeStore implements RateLimitStore {
  readonly counts = new Map<string, number>();
  down = false;
  resetInMs = 30_000;

  async consume(subject: RateLimitSubject): Promise<ConsumedPoints> {
    if (this.down) throw new RateLimitStoreUnavailableError('connect ECONNREFUSED');
    const key = `${subject.kind}:${subject.key}`;
    const consumed = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, consumed);
    return { consumed, resetInMs: this.resetInMs };
  }
}

class RecordingReporter implements RateLimitReporter {
  readonly warnings: { requestId: string; error: string; suppressedSince: number }[] = [];
  unavailable = 0;
  readonly rejected: string[] = [];
  storeUnavailable(details: { requestId: string; error: string; suppressedSince: number }) {
    this.warnings.push(details);
  }
  countUnavailable() {
    this.unavailable += 1;
  }
  countRejected(subject: RateLimitSubject['kind']) {
    this.rejected.push(subject);
  }
}

describe('GatewayRateLimiter', () => {
  const config = { RATE_LIMIT_AUTHENTICATED_POINTS: 3, RATE_LIMIT_ANONYMOUS_POINTS: 2, RATE_LIMIT_WINDOW_SECONDS: 60 };
  const user: RateLimitSubject = { kind: 'user', key: 'u-1' };
  const address: RateLimitSubject = { kind: 'address', key: '203.0.113.9' };
  let store: FakeStore;
  let reporter: RecordingReporter;
  let now: number;
  let limiter: GatewayRateLimiter;

  beforeEach(() => {
    store = new FakeStore();
    reporter = new RecordingReporter();
    now = 1_000_000;
    limiter = new GatewayRateLimiter(store, config, reporter, () => now);
  });

  it('lets a user make RATE_LIMIT_AUTHENTICATED_POINTS requests, counting down RateLimit-Remaining', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const verdict = await limiter.check(user, `r${i}`);
      expect(verdict.allowed).toBe(true);
      remaining.push(verdict.headers['RateLimit-Remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
  });

  it('refuses the next one with Retry-After and the RateLimit-* fields, and counts it', async () => {
    for (let i = 0; i < 3; i += 1) await limiter.check(user, 'r');
    store.resetInMs = 12_300;
    const verdict = await limiter.check(user, 'r4');
    expect(verdict).toEqual({
      allowed: false,
      headers: { 'RateLimit-Limit': '3', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '13', 'RateLimit-Policy': '3;w=60', 'Retry-After': '13' },
      detail: 'Too many requests from this user: 3 per 60 s; try again in 13 s',
    });
    expect(reporter.rejected).toEqual(['user']);
  });

  it('gives an address without a token RATE_LIMIT_ANONYMOUS_POINTS, apart from the users', async () => {
    expect((await limiter.check(address, 'a')).allowed).toBe(true);
    expect((await limiter.check(address, 'b')).allowed).toBe(true);
    const third = await limiter.check(address, 'c');
    expect(third.allowed).toBe(false);
    expect(third.headers['RateLimit-Limit']).toBe('2');
    expect((await limiter.check(user, 'd')).allowed).toBe(true);
    expect(reporter.rejected).toEqual(['address']);
  });

  it('lets every request through without RateLimit-* fields while the counters are down, counting each', async () => {
    store.down = true;
    for (let i = 0; i < 10; i += 1) {
      expect(await limiter.check(user, `r${i}`)).toEqual({ allowed: true, headers: {} });
    }
    expect(reporter.unavailable).toBe(10);
  });

  it('warns once per interval while the counters are down, saying how many it held back', async () => {
    store.down = true;
    await limiter.check(user, 'first');
    now += UNAVAILABLE_WARNING_INTERVAL_MS - 1;
    await limiter.check(user, 'quiet-1');
    await limiter.check(address, 'quiet-2');
    now += 1;
    await limiter.check(user, 'second');
    expect(reporter.warnings).toEqual([
      { requestId: 'first', error: 'connect ECONNREFUSED', suppressedSince: 0 },
      { requestId: 'second', error: 'connect ECONNREFUSED', suppressedSince: 2 },
    ]);
  });

  it('does not swallow an unexpected error', async () => {
    const broken: RateLimitStore = { consume: async () => Promise.reject(new TypeError('bug')) };
    await expect(new GatewayRateLimiter(broken, config, reporter).check(user, 'r')).rejects.toThrow('bug');
    expect(reporter.unavailable).toBe(0);
  });
});
