import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { PinoLogger } from 'nestjs-pino';
import type { GatewayConfig } from '../config/gateway.config';
import { GatewayRateLimiter, type RateLimitReporter } from './gateway-rate-limiter';
import { rateLimitRejectedTotal, rateLimitUnavailableTotal } from './rate-limit.metrics';
import { RateLimitMiddleware } from './rate-limit.middleware';
import { RedisRateLimitStore } from './redis-rate-limit.store';

function reporter(logger: PinoLogger): RateLimitReporter {
  logger.setContext(GatewayRateLimiter.name);
  return {
    storeUnavailable: (details) => logger.warn(details, 'Rate limiting is off: the counters in Redis cannot be reached; requests pass unlimited'),
    countUnavailable: () => rateLimitUnavailableTotal.inc(),
    countRejected: (subject) => rateLimitRejectedTotal.inc({ subject }),
  };
}

@Module({
  providers: [
    RedisRateLimitStore,
    {
      provide: GatewayRateLimiter,
      useFactory: (store: RedisRateLimitStore, config: GatewayConfig, logger: PinoLogger) => new GatewayRateLimiter(store, config, reporter(logger)),
      inject: [RedisRateLimitStore, APP_CONFIG, PinoLogger],
    },
    RateLimitMiddleware,
  ],
  exports: [RateLimitMiddleware],
})
export class RateLimitModule {}
