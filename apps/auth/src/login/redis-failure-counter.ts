import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { FailureCounter, FailureWindow } from './login-throttle';

/** A FailureCounter in Redis (rate-limiter-flexible: one atomic INCR per attempt, fixed windows). */
export class RedisFailureCounter implements FailureCounter {
  private readonly limiter: RateLimiterRedis;

  constructor(redis: Redis, options: { keyPrefix: string; limit: number; windowSeconds: number }) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: options.keyPrefix,
      points: options.limit,
      duration: options.windowSeconds,
      // Fail at once while disconnected rather than wait for a command timeout.
      rejectIfRedisNotReady: true,
    });
  }

  async add(key: string): Promise<FailureWindow> {
    try {
      return windowOf(await this.limiter.consume(key));
    } catch (rejection) {
      // Over the limit is an answer (the count), not an error; anything else is the store failing.
      if (rejection instanceof RateLimiterRes) return windowOf(rejection);
      throw rejection instanceof Error ? rejection : new Error(String(rejection));
    }
  }

  async takeBack(key: string): Promise<void> {
    await this.limiter.reward(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

function windowOf(result: RateLimiterRes): FailureWindow {
  return { count: result.consumedPoints, msUntilReset: result.msBeforeNext };
}
