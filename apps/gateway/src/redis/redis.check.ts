import { Injectable } from '@nestjs/common';
import type { DependencyCheck } from '@pm/observability';
import { RedisConnection } from './redis-connection';

/** Readiness: Redis answers PING. Without it the gateway is degraded (rate limits let requests pass, revocations come from the local copy). */
@Injectable()
export class RedisCheck implements DependencyCheck {
  readonly name = 'redis';
  readonly degradesOnly = true;

  constructor(private readonly redis: RedisConnection) {}

  async check(): Promise<void> {
    // Right after start-up the first connection may still be under way.
    await this.redis.whenConnected();
    const answer = await this.redis.client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }
}
