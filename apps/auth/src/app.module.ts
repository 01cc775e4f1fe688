import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '@pm/bootstrap';
import { DatabaseCheck, DatabaseModule } from '@pm/database';
import { HealthModule } from '@pm/observability';
import type { AuthConfig } from './config/auth.config';
import { authSchema } from './database/auth-schema';
import { LoginModule } from './login/login.module';
import { TokensModule } from './tokens/tokens.module';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static register(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ serviceName: 'auth', config }),
        DatabaseModule.forRoot(config, authSchema),
        HealthModule.register({ checks: [DatabaseCheck] }),
        UsersModule,
        TokensModule,
        LoginModule,
      ],
    };
  }
}
