import { Module } from '@nestjs/common';
import { APP_CONFIG, RedisConnection, Clock } from '@pm/platform';
import type { AuthConfig } from '../config/auth.config';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { LoginThrottle } from './login-throttle';
import { LoginController } from './login.controller';
import { LoginMetrics } from './login.metrics';
import { LoginService } from './login.service';
import { RedisThrottleCounter } from './redis-throttle-counter';
import { ThrottlesController } from './throttles.controller';

@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [LoginController, ThrottlesController],
  providers: [
    LoginService,
    LoginMetrics,
    Clock,
    {
      provide: LoginThrottle,
      inject: [RedisConnection, LoginMetrics, APP_CONFIG],
      useFactory: (redis: RedisConnection, metrics: LoginMetrics, config: AuthConfig) => {
        const counter = (name: string, points: number, windowSeconds: number) =>
          new RedisThrottleCounter(redis.client, {
            keyPrefix: `${config.LOGIN_THROTTLE_KEY_PREFIX}:${name}`,
            points,
            windowSeconds,
            onInMemory: () => metrics.inMemory(),
          });
        return new LoginThrottle(
          {
            pairMaxConsecutiveFailures: config.LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES,
            pairFirstBlockSeconds: config.LOGIN_PAIR_FIRST_BLOCK_SECONDS,
            pairMaxBlockSeconds: config.LOGIN_PAIR_MAX_BLOCK_SECONDS,
            addressMaxFailures: config.LOGIN_ADDRESS_MAX_FAILURES,
            accountFreeFailures: config.LOGIN_ACCOUNT_FREE_FAILURES,
            accountFirstDelayMs: config.LOGIN_ACCOUNT_FIRST_DELAY_MS,
            accountMaxDelayMs: config.LOGIN_ACCOUNT_MAX_DELAY_SECONDS * 1000,
          },
          {
            pairFailures: counter('pair-failures', config.LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES, config.LOGIN_PAIR_MEMORY_SECONDS),
            pairBlocks: counter('pair-blocks', 1, config.LOGIN_PAIR_MAX_BLOCK_SECONDS),
            addressFailures: counter('address', config.LOGIN_ADDRESS_MAX_FAILURES, config.LOGIN_ADDRESS_WINDOW_SECONDS),
            accountFailures: counter('account', config.LOGIN_ACCOUNT_FREE_FAILURES, config.LOGIN_ACCOUNT_WINDOW_SECONDS),
          },
          metrics,
        );
      },
    },
  ],
})
export class LoginModule {}
