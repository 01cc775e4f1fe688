import { Module } from '@nestjs/common';
import { AccessTokenVerifier, TokenRevocationList } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/config';
import type { GatewayConfig } from '../config/gateway.config';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { RefusalAuditModule } from '../refusal-audit/refusal-audit.module';
import { RedisConnection } from '../redis/redis-connection';
import { RedisModule } from '../redis/redis.module';
import { UpstreamsModule } from '../routes/upstreams.module';
import { AccessTokenMiddleware } from './access-token.middleware';
import { BodyLimitMiddleware } from './body-limit.middleware';
import { GatewayPipeline } from './gateway-pipeline';
import { UpstreamProxy } from './upstream-proxy';

@Module({
  imports: [UpstreamsModule, RedisModule, RateLimitModule, RefusalAuditModule],
  providers: [
    // Auth's JWKS is fetched once and cached, so no request waits on auth; the revocation list
    // (logout, reused refresh tokens, disabled users) is one Redis round trip on the gateway's connection.
    {
      provide: AccessTokenVerifier,
      useFactory: (config: GatewayConfig, redis: RedisConnection) => new AccessTokenVerifier(config, undefined, new TokenRevocationList(redis.client)),
      inject: [APP_CONFIG, RedisConnection],
    },
    AccessTokenMiddleware,
    BodyLimitMiddleware,
    UpstreamProxy,
    GatewayPipeline,
  ],
  exports: [GatewayPipeline],
})
export class ProxyModule {}
