import { DynamicModule, Module } from '@nestjs/common';
import { REDIS_OPTIONS, RedisConnection, type RedisOptions } from './redis-connection';
import { RedisCheck } from './redis.check';

/** One Redis connection for the whole app (global, so HealthModule's RedisCheck and every feature can use it). */
@Module({})
export class RedisModule {
  static forRoot(options: RedisOptions): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [{ provide: REDIS_OPTIONS, useValue: options }, RedisConnection, RedisCheck],
      exports: [RedisConnection, RedisCheck],
    };
  }
}
