import { Global, Module } from '@nestjs/common';
import { RedisConnection } from './redis-connection';

/** One connection for the whole app (global, so HealthModule's RedisCheck can use it too). */
@Global()
@Module({ providers: [RedisConnection], exports: [RedisConnection] })
export class RedisModule {}
