import { Module } from '@nestjs/common';
import { AccessTokenVerifier, RevocationListFollower, TokenRevocationList } from '@pm/auth-tokens';
import { RedisConnection, APP_CONFIG } from '@pm/platform';
import type { GatewayConfig } from '../config/gateway.config';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { RefusalAuditModule } from '../refusal-audit/refusal-audit.module';
import { UpstreamsModule } from '../routes/upstreams.module';
import { AccessTokenMiddleware } from './access-token.middleware';
import { BodyLimitMiddleware } from './body-limit.middleware';
import { GatewayPipeline } from './gateway-pipeline';
import { UpstreamProxy } from './upstream-proxy';

@Module({
  imports: [UpstreamsModule, RateLimitModule, RefusalAuditModule],
  providers: [
    // Auth's JWKS is fetched once and held, so no request waits on auth. The revocation list
    // (logout, reused refresh tokens, disabled users) is one Redis round trip on the gateway's
    // connection, with a local copy that answers alone while Redis is down.
    {
      provide: TokenRevocationList,
      useFactory: (redis: RedisConnection) => new TokenRevocationList(redis.client),
      inject: [RedisConnection],
    },
    RevocationListFollower,
    {
      provide: AccessTokenVerifier,
      useFactory: (config: GatewayConfig, revocations: TokenRevocationList) => new AccessTokenVerifier(config, undefined, revocations),
      inject: [APP_CONFIG, TokenRevocationList],
    },
    AccessTokenMiddleware,
    BodyLimitMiddleware,
    UpstreamProxy,
    GatewayPipeline,
  ],
  exports: [GatewayPipeline, TokenRevocationList],
})
export class ProxyModule {}
