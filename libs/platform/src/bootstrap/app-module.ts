import { DynamicModule, Module, Type } from '@nestjs/common';
import { DependencyCheck, HealthModule } from '../observability';
import { CoreModule, CoreOptions } from './core.module';

type Imports = NonNullable<DynamicModule['imports']>;

/** What an app adds to the core every service has, read from its configuration. */
export interface AppModuleParts {
  /** The connections the app uses (database, Kafka, outbox, Redis, token checks). */
  uses: Imports;
  /** What readiness (`/health/ready`) depends on. */
  checks: Type<DependencyCheck>[];
  /** The app's feature modules. */
  features: Imports;
}

/** An app's root module: `register(config)` is what runService and the tests boot. */
export type AppModuleType<C> = Type<unknown> & { register(config: C): DynamicModule };

/**
 * Builds an app's root module, the same for every app: CoreModule, the connections, the health
 * checks, then the features (in that order, so modules start up as they always did).
 */
export function appModule<C extends CoreOptions['config']>(serviceName: string, parts: (config: C) => AppModuleParts): AppModuleType<C> {
  @Module({})
  class AppModule {
    static register(config: C): DynamicModule {
      const { uses, checks, features } = parts(config);
      return {
        module: AppModule,
        imports: [CoreModule.forRoot({ serviceName, config }), ...uses, HealthModule.register({ checks }), ...features],
      };
    }
  }
  return AppModule;
}
