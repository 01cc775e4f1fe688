import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { GatewayConfig } from '../config/gateway.config';
import { UPSTREAM_URLS, upstreamUrls } from './upstream-services';

/** Provides the base URL of every service behind the gateway. */
@Module({
  providers: [{ provide: UPSTREAM_URLS, useFactory: (config: GatewayConfig) => upstreamUrls(config), inject: [APP_CONFIG] }],
  exports: [UPSTREAM_URLS],
})
export class UpstreamsModule {}
