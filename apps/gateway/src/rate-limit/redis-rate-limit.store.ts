import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, RedisConnection } from '@pm/platform';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayConfig } from '../config/gateway.config';
import type { RateLimitSubject } from './rate-limit-policy';
import { RateLimitStoreUnavailableError, type ConsumedPoints, type RateLimitStore } from './rate-limit-store';

/**
 * Fixed-window counters in Redis (rate-limiter-flexible: one atomic script per request), shared by
 * every gateway instance. While Redis is not connected it fails at once instead of waiting.
 */
@Injectable()
export class RedisRateLimitStore implements RateLimitStore {
  private readonly limiters: Record<RateLimitSubject['kind'], RateLimiterRedis>;

  constructor(@Inject(APP_CONFIG) config: GatewayConfig, redis: RedisConnection) {
    const limiter = (kind: RateLimitSubject['kind'], points: number) =>
      new RateLimiterRedis({
        storeClient: redis.client,
        rejectIfRedisNotReady: true,
        keyPrefix: `${config.RATE_LIMIT_KEY_PREFIX}:${kind}`,
        points,
        duration: config.RATE_LIMIT_WINDOW_SECONDS,
      });
    this.limiters = {
      user: limiter('user', config.RATE_LIMIT_AUTHENTICATED_POINTS),
      address: limiter('address', config.RATE_LIMIT_ANONYMOUS_POINTS),
    };
  }

  async consume(subject: RateLimitSubject): Promise<ConsumedPoints> {
    try {
      return toConsumed(await this.limiters[subject.kind].consume(subject.key));
    } catch (outcome) {
      // rate-limiter-flexible rejects with the counter when the limit is passed, with an Error when Redis fails.
      if (outcome instanceof RateLimiterRes) return toConsumed(outcome);
      throw new RateLimitStoreUnavailableError(`The rate-limit counters are unavailable: ${(outcome as Error).message}`);
    }
  }
}

function toConsumed(counter: RateLimiterRes): ConsumedPoints {
  return { consumed: counter.consumedPoints, resetInMs: counter.msBeforeNext };
}
