import { Injectable } from '@nestjs/common';
import type { DependencyCheck } from '@pm/observability';
import { RedisConnection } from './redis-connection';

/**
 * Readiness: Redis answers PING. Without it auth is degraded, not down: revocations are kept in its
 * database and its verifier's local copy, and republished when Redis returns.
 */
@Injectable()
export class RedisCheck implements DependencyCheck {
  readonly name = 'redis';
  readonly degradesOnly = true;

  constructor(private readonly redis: RedisConnection) {}

  async check(): Promise<void> {
    await this.redis.whenConnected();
    const answer = await this.redis.client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }
}
