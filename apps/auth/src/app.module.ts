import { appModule, RedisCheck, RedisModule, DatabaseCheck, DatabaseModule } from '@pm/platform';
import type { AuthConfig } from './config/auth.config';
import { authSchema } from './database/auth-schema';
import { LoginModule } from './login/login.module';
import { SessionsModule } from './sessions/sessions.module';
import { TokensModule } from './tokens/tokens.module';
import { UserManagementModule } from './user-management/user-management.module';
import { UsersModule } from './users/users.module';

export const AppModule = appModule('auth', (config: AuthConfig) => ({
  uses: [
    DatabaseModule.forRoot(config, authSchema),
    // The token revocation list and the failed-login counters; while Redis is down revocation
    // checks answer from the local copy, revocations wait in auth's database, logins pass unthrottled.
    RedisModule.forRoot({ url: config.REDIS_URL, commandTimeoutMs: 1000, awaitFirstConnection: true }),
  ],
  checks: [DatabaseCheck, RedisCheck],
  features: [UsersModule, TokensModule, SessionsModule, LoginModule, UserManagementModule],
}));
