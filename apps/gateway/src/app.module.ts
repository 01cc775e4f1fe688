import { appModule, RedisCheck, RedisModule } from '@pm/platform';
import { KafkaModule, kafkaConnection } from '@pm/kafka';
import { ApiDocsModule } from './api-docs/api-docs.module';
import type { GatewayConfig } from './config/gateway.config';
import { FhirMetadataModule } from './fhir/fhir-metadata.module';
import { ProxyModule } from './proxy/proxy.module';
import { SystemHealthModule } from './system-health/system-health.module';

export const AppModule = appModule('gateway', (config: GatewayConfig) => ({
  uses: [
    // Only to send refusals to the audit trail; not a readiness check: requests never wait on Kafka.
    KafkaModule.forRoot({ clientId: 'gateway', ...kafkaConnection(config) }),
    // The rate-limit counters and the revocation list. A slow Redis must not slow requests: rate
    // limiting gives up after 500 ms and lets them pass.
    RedisModule.forRoot({ url: config.REDIS_URL, commandTimeoutMs: 500, awaitFirstConnection: false }),
  ],
  checks: [RedisCheck],
  features: [SystemHealthModule, ApiDocsModule, FhirMetadataModule, ProxyModule],
}));
