import { DynamicModule, Module } from '@nestjs/common';
import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { CoreModule, DatabaseCheck, DatabaseModule, HealthModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import { OutboxModule } from '@pm/outbox';
import { BillingAccountsModule } from './accounts/billing-accounts.module';
import type { BillingConfig } from './config/billing.config';
import { billingSchema } from './database/billing-schema';
import { InvoicesModule } from './invoices/invoices.module';

@Module({})
export class AppModule {
  static register(config: BillingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ serviceName: 'billing', config }),
        DatabaseModule.forRoot(config, billingSchema),
        KafkaModule.forRoot({ clientId: 'billing', ...kafkaConnection(config) }),
        OutboxModule.forRoot({ serviceName: 'billing', retentionSeconds: config.OUTBOX_RETENTION_SECONDS }),
        AuthTokensModule.forRoot(config),
        HealthModule.register({ checks: [DatabaseCheck, KafkaCheck, RevocationListCheck] }),
        BillingAccountsModule,
        InvoicesModule,
      ],
    };
  }
}
