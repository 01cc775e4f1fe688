import { runService } from '@pm/platform';
import { AppModule } from './app.module';
import { billingConfigSchema } from './config/billing.config';

runService({ name: 'billing', schema: billingConfigSchema, module: AppModule, openApi: { title: 'Billing service', description: 'Billing accounts, invoices and payments' } });
