import { Inject, Injectable } from '@nestjs/common';
import type { DependencyCheck } from '@pm/platform';
import Redis from 'ioredis';
import { REVOCATION_REDIS } from './revocation-redis';

/**
 * Readiness: the Redis that holds the revocation list answers PING. Without it the service is
 * degraded, not down: tokens are checked against the list's local copy.
 */
@Injectable()
export class RevocationListCheck implements DependencyCheck {
  readonly name = 'redis';
  readonly degradesOnly = true;

  constructor(@Inject(REVOCATION_REDIS) private readonly redis: Redis) {}

  async check(): Promise<void> {
    if (this.redis.status === 'connecting' || this.redis.status === 'connect') {
      // Right after start-up the first connection may still be under way.
      await new Promise<void>((resolve, reject) => {
        const done = (error?: Error) => {
          this.redis.off('ready', onReady).off('close', onClose);
          if (error) reject(error);
          else resolve();
        };
        const onReady = () => done();
        const onClose = () => done(new Error('Redis closed the connection'));
        this.redis.once('ready', onReady).once('close', onClose);
      });
    }
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }
}
