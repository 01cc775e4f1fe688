import { bootstrapService, runMain } from '@pm/bootstrap';
import { loadConfigOrExit } from '@pm/config';
import { AppModule } from './app.module';
import { gatewayConfigSchema } from './config/gateway.config';
import { GATEWAY_OPENAPI, configureGateway } from './configure-gateway';

async function main() {
  const config = loadConfigOrExit(gatewayConfigSchema, 'gateway');
  await bootstrapService(AppModule.register(config), {
    serviceName: 'gateway',
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    openApi: GATEWAY_OPENAPI,
    // Bodies stream to the services untouched; each service parses and limits its own.
    parseJsonBodies: false,
    configure: configureGateway,
  });
}

runMain('gateway', main);
