import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Revocation, TokenRevocationList, revocationKeys } from '@pm/auth-tokens';
import { RedisConnection } from '@pm/platform';
import { RevocationsRepository } from './revocations.repository';

/**
 * Auth's revocations: recorded in its database first (so a logout or a disable succeeds while
 * Redis is down), then in its own verifier's local copy and in Redis for every other verifier.
 * Whatever Redis missed is published again each time the connection becomes ready.
 */
@Injectable()
export class RevocationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationsService.name);
  private readonly republish = () => void this.republishAll();

  constructor(
    private readonly repository: RevocationsRepository,
    private readonly list: TokenRevocationList,
    private readonly redis: RedisConnection,
  ) {}

  revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    return this.revoke({ key: revocationKeys.token(tokenId), value: '1', expiresAtMs: expiresAt * 1000 });
  }

  revokeSession(sessionId: string, lastTokenExpiresAt: number): Promise<void> {
    return this.revoke({ key: revocationKeys.session(sessionId), value: '1', expiresAtMs: lastTokenExpiresAt * 1000 });
  }

  /** Tokens of the user issued at or before `issuedBefore` (epoch seconds) stop working. */
  revokeUserTokens(userId: string, issuedBefore: number, lastTokenExpiresAt: number): Promise<void> {
    return this.revoke({ key: revocationKeys.user(userId), value: String(issuedBefore), expiresAtMs: lastTokenExpiresAt * 1000 });
  }

  /** Throws only when the database cannot record it; a Redis outage only delays the other verifiers. */
  private async revoke(revocation: Revocation): Promise<void> {
    await this.repository.save(revocation);
    await this.list.revoke(revocation).catch((error: unknown) =>
      this.logger.warn({ reason: (error as Error).message }, 'Revocation recorded; Redis is unavailable, it is published when Redis returns'),
    );
  }

  onApplicationBootstrap(): void {
    // Also at start: Redis may have restarted empty while auth was down.
    this.redis.client.on('ready', this.republish);
    if (this.redis.client.status === 'ready') this.republish();
  }

  onApplicationShutdown(): void {
    this.redis.client.off('ready', this.republish);
  }

  /** Publishes every revocation still in force (idempotent: an entry only ever gets stricter). */
  async republishAll(): Promise<number> {
    try {
      const revocations = await this.repository.unexpired(new Date());
      for (const revocation of revocations) await this.list.publish(revocation);
      if (revocations.length > 0) this.logger.log({ count: revocations.length }, 'Revocations republished to Redis');
      return revocations.length;
    } catch (error) {
      this.logger.warn({ reason: (error as Error).message }, 'Revocations could not be republished; retried on the next reconnect');
      return 0;
    }
  }
}
