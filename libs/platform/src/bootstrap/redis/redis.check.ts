import { Injectable } from '@nestjs/common';
import type { DependencyCheck } from '../../observability';
import { RedisConnection } from './redis-connection';

/**
 * Readiness: Redis answers PING. Without it a service is degraded, not down: each use of Redis has
 * its way to carry on (a local copy of the revocation list, limits that let requests pass).
 */
@Injectable()
export class RedisCheck implements DependencyCheck {
  readonly name = 'redis';
  readonly degradesOnly = true;

  constructor(private readonly redis: RedisConnection) {}

  async check(): Promise<void> {
    // Right after start-up, or after an outage, a connection attempt may be under way.
    await this.redis.whenConnected();
    const answer = await this.redis.client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }
}
