import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import Redis from 'ioredis';
import { AccessTokenVerifier, TokenVerificationConfig } from '../access-token-verifier';
import { TokenRevocationList } from '../token-revocation-list';
import { AccessTokenGuard } from './access-token.guard';

export const REVOCATION_REDIS = Symbol('REVOCATION_REDIS');

export interface AuthTokensOptions extends TokenVerificationConfig {
  REDIS_URL: string;
}

/** Connects with short timeouts and no offline queue: a Redis outage fails fast (503), never hangs. */
export function createRevocationRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
  });
  redis.on('error', () => undefined); // reported by the checks that use it
  return redis;
}

/**
 * Token verification for a service: the verifier (auth's JWKS, ES256, issuer, audience), the
 * Redis revocation list, and AccessTokenGuard on every route.
 */
@Global()
@Module({})
export class AuthTokensModule implements OnApplicationShutdown {
  constructor(@Inject(REVOCATION_REDIS) private readonly redis: Redis) {}

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
    this.redis.disconnect();
  }
}
