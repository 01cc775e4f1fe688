import { Injectable, Logger, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { recreateDatabase, testDatabaseServer } from '@pm/testing';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { DatabaseCheck } from './database.check';
import { DatabaseModule } from './database.module';
import { DatabaseConfig, DatabaseSchema, dataSourceOptions } from './data-source-options';
import { migrateDatabase } from './migrate';
import { Transactions } from './transactions';

jest.setTimeout(30_000);

class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE)');
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE notes');
  }
}

const schema: DatabaseSchema = { entities: [], migrations: [CreateNotes1700000000000] };

async function throwawayDatabase(baseName: string): Promise<DatabaseConfig> {
  const env = await recreateDatabase(baseName);
  return { DB_HOST: env.DB_HOST, DB_PORT: Number(env.DB_PORT), DB_USER: env.DB_USER, DB_PASSWORD: env.DB_PASSWORD, DB_NAME: env.DB_NAME, DB_POOL_SIZE: 3, DB_SSL: false };
}

const serverConnection = () => ({
  host: testDatabaseServer.DB_HOST,
  port: testDatabaseServer.DB_PORT,
  user: testDatabaseServer.DB_USER,
  password: testDatabaseServer.DB_PASSWORD || undefined,
});

const bodies = async (dataSource: DataSource): Promise<string[]> =>
  (await dataSource.query('SELECT body FROM notes ORDER BY body')).map((row: { body: string }) => row.body);

describe('migrateDatabase (a real throwaway PostgreSQL database)', () => {
  let config: DatabaseConfig;
  let written: string[];

  beforeAll(async () => {
    config = await throwawayDatabase('lib_database_migrate');
  });

  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('applies the pending migrations, records them, says which, and closes its connection', async () => {
    await migrateDatabase('notes-service', config, schema);
    expect(written).toEqual([`notes-service: migrations applied to ${config.DB_NAME}: CreateNotes1700000000000\n`]);

    const check = new DataSource({ ...dataSourceOptions(config, schema), migrationsRun: false });
    await check.initialize();
    try {
      const [table] = await check.query(`SELECT to_regclass('public.notes') AS name`);
      expect(table.name).toBe('notes');
      const applied = await check.query('SELECT name FROM schema_migrations');
      expect(applied).toEqual([{ name: 'CreateNotes1700000000000' }]);
      const [connections] = await check.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [config.DB_NAME],
      );
      expect(connections.n).toBe(0);
    } finally {
      await check.destroy();
    }
  });

  it('is a no-op the second time', async () => {
    await migrateDatabase('notes-service', config, schema);
    expect(written).toEqual([`notes-service: migrations applied to ${config.DB_NAME}: none pending\n`]);
  });

  it('fails naming the database, reporting nothing applied, when it cannot be reached', async () => {
    await expect(migrateDatabase('notes-service', { ...config, DB_NAME: 'no_such_database_txlib' }, schema)).rejects.toThrow(/no_such_database_txlib/);
    expect(written).toEqual([]);
  });
});

@Injectable()
class NotesService {
  // Nothing imports DatabaseModule here: Transactions reaches every module from the root.
  constructor(readonly transactions: Transactions) {}
}

@Module({ providers: [NotesService] })
class NotesModule {}

describe('DatabaseModule, Transactions, DatabaseCheck and the query logger (real PostgreSQL)', () => {
  let moduleRef: TestingModule;
  let dataSource: DataSource;
  let transactions: Transactions;

  beforeAll(async () => {
    const config = await throwawayDatabase('lib_database');
    moduleRef = await Test.createTestingModule({ imports: [DatabaseModule.forRoot(config, schema), NotesModule] }).compile();
    await moduleRef.init();
    dataSource = moduleRef.get(DataSource);
    transactions = moduleRef.get(NotesService).transactions;
  });

  afterAll(async () => {
    await moduleRef?.close();
  });

  beforeEach(async () => {
    await dataSource.query('TRUNCATE notes');
  });

  afterEach(() => jest.restoreAllMocks());

  it('migrates at start-up, so a new database comes up by migrations alone', async () => {
    expect(await dataSource.query('SELECT name FROM schema_migrations')).toEqual([{ name: 'CreateNotes1700000000000' }]);
  });

  it('provides Transactions to a module that does not import DatabaseModule', () => {
    expect(transactions).toBeInstanceOf(Transactions);
  });

  it('commits every write of the work when it resolves, and answers what the work answers', async () => {
    const answer = await transactions.run(async (tx) => {
      await tx.query(`INSERT INTO notes (body) VALUES ('first')`);
      await tx.query(`INSERT INTO notes (body) VALUES ('second')`);
      return 42;
    });
    expect(answer).toBe(42);
    expect(await bodies(dataSource)).toEqual(['first', 'second']);
  });

  it('rolls back every write of the work when it throws, and rethrows the same error', async () => {
    const failure = new Error('refused after writing');
    await expect(
      transactions.run(async (tx) => {
        await tx.query(`INSERT INTO notes (body) VALUES ('kept only on commit')`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await bodies(dataSource)).toEqual([]);
  });

  it('keeps uncommitted writes invisible outside the transaction (READ COMMITTED)', async () => {
    let seenOutside: string[] = ['not read'];
    await transactions.run(async (tx) => {
      await tx.query(`INSERT INTO notes (body) VALUES ('pending')`);
      seenOutside = await bodies(dataSource);
    });
    expect(seenOutside).toEqual([]);
    expect(await bodies(dataSource)).toEqual(['pending']);
  });

  it('holds a row lock taken in the transaction until it ends', async () => {
    await dataSource.query(`INSERT INTO notes (body) VALUES ('locked')`);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = transactions.run(async (tx) => {
      await tx.query(`SELECT id FROM notes WHERE body = 'locked' FOR UPDATE`);
      order.push('first locked');
      await held;
      await tx.query(`UPDATE notes SET body = 'locked by first' WHERE body = 'locked'`);
      order.push('first done');
    });
    while (order.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = transactions.run(async (tx) => {
      const rows = await tx.query(`SELECT body FROM notes FOR UPDATE`);
      order.push(`second read ${rows[0].body}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first locked', 'first done', 'second read locked by first']);
  });

  it('DatabaseCheck answers while the database answers', async () => {
    const check = new DatabaseCheck(dataSource);
    expect(check.name).toBe('database');
    await expect(check.check()).resolves.toBeUndefined();
  });

  it('DatabaseCheck throws once the database is gone', async () => {
    const config = await throwawayDatabase('lib_database_down');
    const doomed = new DataSource({ ...dataSourceOptions(config, { entities: [], migrations: [] }), migrationsRun: false });
    await doomed.initialize();
    const check = new DatabaseCheck(doomed);
    await expect(check.check()).resolves.toBeUndefined();
    const admin = new Client({ ...serverConnection(), database: 'postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE ${config.DB_NAME} WITH (FORCE)`); // ends every connection to it
    await admin.end();
    try {
      await expect(check.check()).rejects.toThrow();
    } finally {
      await doomed.destroy().catch(() => undefined);
    }
  });

  describe('the parameter-free query logger', () => {
    const patientName = 'Jane Q. Patient';
    let lines: unknown[][];

    beforeEach(() => {
      lines = [];
      for (const level of ['log', 'warn', 'error', 'debug'] as const) {
        jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
          lines.push([level, ...args]);
        });
      }
    });

    it('logs a refused query (unique violation) at debug with its SQLSTATE and statement, never the value', async () => {
      await dataSource.query('INSERT INTO notes (body) VALUES ($1)', [patientName]);
      await expect(dataSource.query('INSERT INTO notes (body) VALUES ($1)', [patientName])).rejects.toThrow();
      expect(lines).toEqual([['debug', { sqlState: '23505', statement: 'INSERT INTO notes (body) VALUES ($1)' }, 'Query refused']]);
      // PostgreSQL's own detail says "Key (body)=(Jane Q. Patient) already exists".
      expect(JSON.stringify(lines)).not.toContain(patientName);
    });

    it('logs a failed query as an error with its SQLSTATE only', async () => {
      await expect(dataSource.query('INSERT INTO notes (body) VALUES ($1::int)', [patientName])).rejects.toThrow();
      expect(lines).toEqual([['error', { sqlState: '22P02', statement: 'INSERT INTO notes (body) VALUES ($1::int)' }, 'Query failed']]);
      expect(JSON.stringify(lines)).not.toContain(patientName);
    });

    it('logs a slow query with its duration and statement, never its parameters', async () => {
      await dataSource.query('SELECT pg_sleep(1.1), $1::text AS name', [patientName]);
      expect(lines).toHaveLength(1);
      const [level, details, message] = lines[0] as [string, { durationMs: number; statement: string }, string];
      expect([level, message, details.statement]).toEqual(['warn', 'Slow query', 'SELECT pg_sleep(1.1), $1::text AS name']);
      expect(details.durationMs).toBeGreaterThanOrEqual(1000);
      expect(JSON.stringify(lines)).not.toContain(patientName);
    });

    it('logs nothing for a query that succeeds in time', async () => {
      await dataSource.query('SELECT $1::text AS name', [patientName]);
      expect(lines).toEqual([]);
    });
  });
});
