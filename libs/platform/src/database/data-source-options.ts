import type { DataSourceOptions } from 'typeorm';
import { ParameterFreeQueryLogger } from './parameter-free-query-logger';

export interface DatabaseConfig {
  DB_HOST: string;
  DB_PORT: number;
  DB_USER: string;
  DB_PASSWORD: string;
  DB_NAME: string;
  DB_POOL_SIZE: number;
  DB_SSL: boolean;
}

export interface DatabaseSchema {
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
}

/**
 * The options every service's database uses. Schemas come from migrations only (never
 * `synchronize`), run at start-up so a new database comes up by migrations alone.
 */
export function dataSourceOptions(config: DatabaseConfig, schema: DatabaseSchema): DataSourceOptions {
  return {
    type: 'postgres',
    host: config.DB_HOST,
    port: config.DB_PORT,
    username: config.DB_USER,
    password: config.DB_PASSWORD || undefined,
    database: config.DB_NAME,
    ssl: config.DB_SSL ? { rejectUnauthorized: true } : false,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsRun: true,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: new ParameterFreeQueryLogger(),
    maxQueryExecutionTime: 1000,
    extra: {
      max: config.DB_POOL_SIZE,
      connectionTimeoutMillis: 5000,
      // A runaway query must not hold a connection (and a request) forever.
      statement_timeout: 10000,
    },
  };
}
