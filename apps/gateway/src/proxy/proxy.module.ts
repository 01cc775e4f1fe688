import { Module } from '@nestjs/common';
import { AccessTokenVerifier } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/config';
import type { GatewayConfig } from '../config/gateway.config';
import { UpstreamsModule } from '../routes/upstreams.module';
import { AccessTokenMiddleware } from './access-token.middleware';
import { GatewayPipeline } from './gateway-pipeline';
import { UpstreamProxy } from './upstream-proxy';

@Module({
  imports: [UpstreamsModule],
  providers: [
    // Fetches auth's JWKS once and caches it (jose), so no request waits on auth.
    { provide: AccessTokenVerifier, useFactory: (config: GatewayConfig) => new AccessTokenVerifier(config), inject: [APP_CONFIG] },
    AccessTokenMiddleware,
    UpstreamProxy,
    GatewayPipeline,
  ],
  exports: [GatewayPipeline],
})
export class ProxyModule {}
