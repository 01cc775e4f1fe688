import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseConfig, DatabaseSchema, dataSourceOptions } from './data-source-options';
import { Transactions } from './transactions';

@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig, schema: DatabaseSchema): DynamicModule {
    return {
      module: DatabaseModule,
      // Global so every feature module's services can open a transaction without listing it.
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config, schema),
          // Keep trying while PostgreSQL starts (compose, ECS) instead of crashing at once.
          retryAttempts: 10,
          retryDelay: 2000,
        }),
      ],
      providers: [Transactions],
      exports: [Transactions],
    };
  }
}
