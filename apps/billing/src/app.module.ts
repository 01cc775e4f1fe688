import { DynamicModule, Module } from '@nestjs/common';
import { AuthTokensModule, RevocationListCheck } from '@pm/auth-tokens';
import { CoreModule } from '@pm/bootstrap';
import { DatabaseCheck, DatabaseModule } from '@pm/database';
import { HealthModule } from '@pm/observability';
import { BillingAccountsModule } from './accounts/billing-accounts.module';
import type { BillingConfig } from './config/billing.config';
import { billingSchema } from './database/billing-schema';

@Module({})
export class AppModule {
  static register(config: BillingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ serviceName: 'billing', config }),
        DatabaseModule.forRoot(config, billingSchema),
        AuthTokensModule.forRoot(config),
        HealthModule.register({ checks: [DatabaseCheck, RevocationListCheck] }),
        BillingAccountsModule,
      ],
    };
  }
}
