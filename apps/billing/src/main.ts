import { bootstrapService, runMain } from '@pm/bootstrap';
import { loadConfigOrExit } from '@pm/config';
import { AppModule } from './app.module';
import { billingConfigSchema } from './config/billing.config';

async function main() {
  const config = loadConfigOrExit(billingConfigSchema, 'billing');
  await bootstrapService(AppModule.register(config), {
    serviceName: 'billing',
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    openApi: { title: 'Billing service', description: 'Billing accounts, invoices and payments' },
  });
}

runMain('billing', main);
