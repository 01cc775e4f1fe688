import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { appModule, DatabaseCheck, DatabaseModule } from '@pm/platform';
import { KafkaCheck, KafkaModule, kafkaConnection } from '@pm/kafka';
import { OutboxModule } from '@pm/outbox';
import { BillingAccountsModule } from './accounts/billing-accounts.module';
import type { BillingConfig } from './config/billing.config';
import { billingSchema } from './database/billing-schema';
import { InvoicesModule } from './invoices/invoices.module';

export const AppModule = appModule('billing', (config: BillingConfig) => ({
  uses: [
    DatabaseModule.forRoot(config, billingSchema),
    KafkaModule.forRoot({ clientId: 'billing', ...kafkaConnection(config) }),
    OutboxModule.forRoot({ serviceName: 'billing', retentionSeconds: config.OUTBOX_RETENTION_SECONDS }),
    AuthTokensModule.forRoot(config),
  ],
  checks: [DatabaseCheck, KafkaCheck, RevocationListCheck],
  features: [BillingAccountsModule, InvoicesModule],
}));
