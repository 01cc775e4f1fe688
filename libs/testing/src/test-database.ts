import { Client } from 'pg';

export const testDatabaseServer = {
  DB_HOST: process.env.DB_HOST ?? '127.0.0.1',
  DB_PORT: Number(process.env.DB_PORT ?? 5432),
  DB_USER: process.env.DB_USER ?? 'postgres',
  DB_PASSWORD: process.env.DB_PASSWORD ?? '',
};

/** A connected client of the test PostgreSQL server, on `database`; the caller ends it. */
export async function connectTestDatabase(database: string): Promise<Client> {
  const client = new Client({
    host: testDatabaseServer.DB_HOST,
    port: testDatabaseServer.DB_PORT,
    user: testDatabaseServer.DB_USER,
    password: testDatabaseServer.DB_PASSWORD || undefined,
    database,
  });
  await client.connect();
  return client;
}

/**
 * Drops and creates a database for one test file, so tests never touch the running system's data.
 * Returns the environment variables that point a service at it. `TEST_DB_SUFFIX` (e.g. `_wt2`)
 * lets two checkouts run the same integration tests at once on one PostgreSQL server.
 */
export async function recreateDatabase(baseName: string): Promise<Record<string, string>> {
  const name = `${baseName}${process.env.TEST_DB_SUFFIX ?? ''}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Bad database name ${name}`);
  const client = await connectTestDatabase('postgres');
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return {
    DB_HOST: testDatabaseServer.DB_HOST,
    DB_PORT: String(testDatabaseServer.DB_PORT),
    DB_USER: testDatabaseServer.DB_USER,
    DB_PASSWORD: testDatabaseServer.DB_PASSWORD,
    DB_NAME: name,
    DB_POOL_SIZE: '5',
  };
}
