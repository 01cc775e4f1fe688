import { DataSource } from 'typeorm';
import { DatabaseConfig, DatabaseSchema, dataSourceOptions } from './data-source-options';

/**
 * Applies pending migrations and exits: the `migrate` Nx target of every app, for operators
 * who migrate before rolling out (services also migrate at start-up).
 */
export async function migrateDatabase(serviceName: string, config: DatabaseConfig, schema: DatabaseSchema): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(config, schema), migrationsRun: false });
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((m) => m.name).join(', ') || 'none pending';
    process.stdout.write(`${serviceName}: migrations applied to ${config.DB_NAME}: ${names}\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
