import { bootstrapService, runMain } from '@pm/bootstrap';
import { loadConfigOrExit } from '@pm/config';
import { AppModule } from './app.module';
import { analyticsConfigSchema } from './config/analytics.config';

async function main() {
  const config = loadConfigOrExit(analyticsConfigSchema, 'analytics');
  await bootstrapService(AppModule.register(config), {
    serviceName: 'analytics',
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    openApi: { title: 'Analytics service', description: 'Counts built from the events other services publish' },
  });
}

runMain('analytics', main);
