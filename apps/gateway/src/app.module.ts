import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '@pm/bootstrap';
import { KafkaModule, kafkaConnection } from '@pm/kafka';
import { HealthModule } from '@pm/observability';
import { ApiDocsModule } from './api-docs/api-docs.module';
import type { GatewayConfig } from './config/gateway.config';
import { ProxyModule } from './proxy/proxy.module';
import { RedisCheck } from './redis/redis.check';
import { RedisModule } from './redis/redis.module';
import { SystemHealthModule } from './system-health/system-health.module';

@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ serviceName: 'gateway', config }),
        // Only to send refusals to the audit trail; not a readiness check: requests never wait on Kafka.
        KafkaModule.forRoot({ clientId: 'gateway', ...kafkaConnection(config) }),
        HealthModule.register({ checks: [RedisCheck], imports: [RedisModule] }),
        SystemHealthModule,
        ApiDocsModule,
        ProxyModule,
      ],
    };
  }
}
