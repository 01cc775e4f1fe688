import { bootstrapService, runMain } from '@pm/bootstrap';
import { loadConfigOrExit } from '@pm/config';
import { AppModule } from './app.module';
import { authConfigSchema } from './config/auth.config';

async function main() {
  const config = loadConfigOrExit(authConfigSchema, 'auth');
  await bootstrapService(AppModule.register(config), {
    serviceName: 'auth',
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    maxBodyBytes: config.MAX_BODY_BYTES,
    trustedProxies: config.TRUSTED_PROXIES,
    openApi: { title: 'Auth service', description: 'Login, access tokens (ES256 JWTs) and the keys that verify them' },
  });
}

runMain('auth', main);
