import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import type { AuthConfig } from '../config/auth.config';
import { RedisConnection } from '../redis/redis-connection';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { LoginThrottle } from './login-throttle';
import { LoginController } from './login.controller';
import { LoginMetrics } from './login.metrics';
import { LoginService } from './login.service';
import { RedisFailureCounter } from './redis-failure-counter';

@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [LoginController],
  providers: [
    LoginService,
    LoginMetrics,
    {
      provide: LoginThrottle,
      inject: [RedisConnection, LoginMetrics, APP_CONFIG],
      useFactory: (redis: RedisConnection, metrics: LoginMetrics, config: AuthConfig) =>
        new LoginThrottle(
          { maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, maxFailuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP },
          new RedisFailureCounter(redis.client, {
            keyPrefix: `${config.LOGIN_THROTTLE_KEY_PREFIX}:account`,
            limit: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
            windowSeconds: config.LOGIN_ACCOUNT_WINDOW_SECONDS,
          }),
          new RedisFailureCounter(redis.client, {
            keyPrefix: `${config.LOGIN_THROTTLE_KEY_PREFIX}:ip`,
            limit: config.LOGIN_MAX_FAILURES_PER_IP,
            windowSeconds: config.LOGIN_IP_WINDOW_SECONDS,
          }),
          metrics,
        ),
    },
  ],
})
export class LoginModule {}
