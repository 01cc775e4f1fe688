import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { CounterState, ThrottleCounter } from './login-throttle';
import { ThrottleStoreUnavailableError } from './login.errors';


export interface RedisThrottleCounterOptions {
  keyPrefix: string;
  /** The limit the counter serves (rate-limiter-flexible needs one; `block` sets one more). */
  points: number;
  windowSeconds: number;
  /** Called when Redis is not ready and the in-memory stand-in answers instead. */
  onInMemory(): void;
}

/**
 * A ThrottleCounter in Redis with rate-limiter-flexible (atomic updates, fixed windows), insured
 * as the library documents: while Redis is not ready its `insuranceLimiter`, a RateLimiterMemory
 * of this instance, counts instead, so throttling goes on through an outage (per instance).
 */
export class RedisThrottleCounter implements ThrottleCounter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisThrottleCounterOptions,
  ) {
    const window = { keyPrefix: options.keyPrefix, points: options.points, duration: options.windowSeconds };
    this.limiter = new RateLimiterRedis({
      ...window,
      storeClient: redis,
      // Fail over to memory at once while disconnected rather than wait for a command timeout.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(window),
    });
  }

  async get(key: string): Promise<CounterState | null> {
    this.noteInMemory();
    const result = await this.limiter.get(key);
    return result ? stateOf(result) : null;
  }

  async add(key: string): Promise<CounterState> {
    this.noteInMemory();
    // penalty, unlike consume, never rejects past the limit: the rules decide what the count means.
    return stateOf(await this.limiter.penalty(key, 1));
  }

  async takeBack(key: string): Promise<void> {
    this.noteInMemory();
    await this.limiter.reward(key, 1);
  }

  async block(key: string, seconds: number): Promise<void> {
    this.noteInMemory();
    await this.limiter.block(key, seconds);
  }

  async delete(key: string): Promise<boolean> {
    this.noteInMemory();
    return this.limiter.delete(key);
  }

  /** Every key under this counter's prefix, found with SCAN (never KEYS, which stalls Redis). */
  async list(): Promise<Array<CounterState & { key: string }>> {
    if (this.redis.status !== 'ready') throw new ThrottleStoreUnavailableError();
    const prefix = `${this.options.keyPrefix}:`;
    const keys: string[] = [];
    let cursor = '0';
    try {
      do {
        const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
        keys.push(...batch);
        cursor = next;
      } while (cursor !== '0');
    } catch {
      throw new ThrottleStoreUnavailableError();
    }
    const entries = await Promise.all(
      keys.map(async (redisKey) => {
        const key = redisKey.slice(prefix.length);
        const result = await this.limiter.get(key);
        return result ? { key, ...stateOf(result) } : undefined;
      }),
    );
    return entries.filter((entry) => entry !== undefined);
  }

  private noteInMemory(): void {
    if (this.redis.status !== 'ready') this.options.onInMemory();
  }
}

function stateOf(result: RateLimiterRes): CounterState {
  return { count: result.consumedPoints, msLeft: result.msBeforeNext };
}

/** A key prefix as a literal in a SCAN MATCH pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}
