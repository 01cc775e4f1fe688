import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import Redis from 'ioredis';
import type { TokenVerificationConfig } from '../access-token-policy';
import { AccessTokenVerifier } from '../access-token-verifier';
import { TokenRevocationList } from '../token-revocation-list';
import { AccessTokenGuard } from './access-token.guard';
import { REVOCATION_REDIS, createRevocationRedis } from './revocation-redis';

export { REVOCATION_REDIS, createRevocationRedis } from './revocation-redis';

export interface AuthTokensOptions extends TokenVerificationConfig {
  REDIS_URL: string;
}

/**
 * Token verification for a service: the verifier (passport-jwt over auth's JWKS, ES256, issuer,
 * audience), the revocation list (Redis, with a local copy that answers while Redis is down), and
 * AccessTokenGuard on every route. List RevocationListCheck in the service's readiness checks
 * (Redis down = degraded).
 */
@Global()
@Module({})
export class AuthTokensModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REVOCATION_REDIS) private readonly redis: Redis,
    private readonly revocations: TokenRevocationList,
  ) {}

  /**
   * Connects before the app takes requests: with no offline queue, a command sent while still
   * connecting would fail (503). A Redis that is down does not stop the start (at most the
   * connect timeout); ioredis keeps reconnecting and readiness reports it. Then the revocation
   * list's local copy is loaded and kept current.
   */
  async onModuleInit(): Promise<void> {
    await this.redis.connect().catch(() => undefined);
    await this.revocations.follow();
  }

  static forRoot(options: AuthTokensOptions): DynamicModule {
    return {
      module: AuthTokensModule,
      providers: [
        { provide: REVOCATION_REDIS, useFactory: () => createRevocationRedis(options.REDIS_URL) },
        { provide: TokenRevocationList, useFactory: (redis: Redis) => new TokenRevocationList(redis), inject: [REVOCATION_REDIS] },
        {
          provide: AccessTokenVerifier,
          useFactory: (revocations: TokenRevocationList) => new AccessTokenVerifier(options, undefined, revocations),
          inject: [TokenRevocationList],
        },
        AccessTokenGuard,
        { provide: APP_GUARD, useExisting: AccessTokenGuard },
      ],
      exports: [AccessTokenVerifier, TokenRevocationList, AccessTokenGuard, REVOCATION_REDIS],
    };
  }

  onApplicationShutdown(): void {
    this.revocations.stopFollowing();
    this.redis.disconnect();
  }
}
