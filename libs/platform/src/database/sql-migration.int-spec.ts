import { recreateDatabase } from '@pm/testing';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { sqlMigration } from './sql-migration';

jest.setTimeout(30_000);

// Order matters: the index needs the table, the insert needs both columns.
class CreateNotes1700000000000 extends sqlMigration('CreateNotes1700000000000', {
  up: [
    'CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)',
    'ALTER TABLE notes ADD COLUMN author text',
    "INSERT INTO notes (body, author) VALUES ('first', 'ann')",
  ],
  down: ['ALTER TABLE notes DROP COLUMN author', 'DROP TABLE notes'],
}) {}

class TypeNotes1700000000001 extends sqlMigration('TypeNotes1700000000001', {
  up: ['ALTER TABLE notes ALTER COLUMN author TYPE varchar(20)'],
  irreversible: 'TypeNotes cannot be reverted',
}) {}

const tableExists = async (dataSource: DataSource): Promise<boolean> =>
  (await dataSource.query(`SELECT to_regclass('public.notes') IS NOT NULL AS present`))[0].present;

const applied = async (dataSource: DataSource): Promise<string[]> =>
  (await dataSource.query('SELECT name FROM schema_migrations ORDER BY id')).map((row: { name: string }) => row.name);

describe('sqlMigration (a real throwaway PostgreSQL database)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const env = await recreateDatabase('lib_sql_migration');
    const config = { DB_HOST: env.DB_HOST, DB_PORT: Number(env.DB_PORT), DB_USER: env.DB_USER, DB_PASSWORD: env.DB_PASSWORD, DB_NAME: env.DB_NAME, DB_POOL_SIZE: 2, DB_SSL: false };
    const schema = { entities: [], migrations: [CreateNotes1700000000000, TypeNotes1700000000001] };
    dataSource = new DataSource({ ...dataSourceOptions(config, schema), migrationsRun: false });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('keeps the class name its subclass declares and the name TypeORM records', () => {
    const migration = new CreateNotes1700000000000();
    expect(migration.constructor.name).toBe('CreateNotes1700000000000');
    expect(migration.name).toBe('CreateNotes1700000000000');
  });

  it('runs the up statements in order and records each migration under its name', async () => {
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.query('SELECT body, author FROM notes')).toEqual([{ body: 'first', author: 'ann' }]);
    expect(await applied(dataSource)).toEqual(['CreateNotes1700000000000', 'TypeNotes1700000000001']);
  });

  it('refuses to revert an irreversible migration with its reason, leaving it applied', async () => {
    await expect(dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow('TypeNotes cannot be reverted');
    expect(await applied(dataSource)).toEqual(['CreateNotes1700000000000', 'TypeNotes1700000000001']);
  });

  it('runs the down statements in order', async () => {
    // Past the irreversible one by hand, as an operator would after undoing its effect.
    await dataSource.query(`DELETE FROM schema_migrations WHERE name = 'TypeNotes1700000000001'`);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tableExists(dataSource)).toBe(false);
    expect(await applied(dataSource)).toEqual([]);
  });
});
