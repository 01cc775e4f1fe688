import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseConfig, DatabaseSchema, dataSourceOptions } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig, schema: DatabaseSchema): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config, schema),
          // Keep trying while PostgreSQL starts (compose, ECS) instead of crashing at once.
          retryAttempts: 10,
          retryDelay: 2000,
        }),
      ],
    };
  }
}
