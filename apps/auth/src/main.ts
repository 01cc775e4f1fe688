import { runService } from '@pm/platform';
import { AppModule } from './app.module';
import { authConfigSchema } from './config/auth.config';

runService({ name: 'auth', schema: authConfigSchema, module: AppModule, openApi: { title: 'Auth service', description: 'Login, access tokens (ES256 JWTs) and the keys that verify them' } });
