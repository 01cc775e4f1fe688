import { runService } from '@pm/platform';
import { AppModule } from './app.module';
import { gatewayConfigSchema } from './config/gateway.config';
import { GATEWAY_OPENAPI, configureGateway } from './configure-gateway';

// Bodies stream to the services untouched; each service parses and limits its own.
runService({ name: 'gateway', schema: gatewayConfigSchema, module: AppModule, openApi: GATEWAY_OPENAPI, parseJsonBodies: false, configure: configureGateway });
