import { Injectable } from '@nestjs/common';
import type { DependencyCheck } from '@pm/observability';
import { RedisConnection } from './redis-connection';

/** Readiness: Redis answers PING (without it no access token can be checked for revocation). */
@Injectable()
export class RedisCheck implements DependencyCheck {
  readonly name = 'redis';

  constructor(private readonly redis: RedisConnection) {}

  async check(): Promise<void> {
    await this.redis.whenConnected();
    const answer = await this.redis.client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }
}
