import { Logger } from '@nestjs/common';
import { dataSourceOptions } from './data-source-options';
import { ParameterFreeQueryLogger } from './parameter-free-query-logger';

describe('ParameterFreeQueryLogger', () => {
  let lines: unknown[][];
  const logger = new ParameterFreeQueryLogger();

  beforeEach(() => {
    lines = [];
    for (const level of ['log', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        lines.push([level, ...args]);
      });
    }
  });

  afterEach(() => jest.restoreAllMocks());

  it('keeps unique and exclusion violations (answered as 409s) at debug', () => {
    logger.logQueryError(Object.assign(new Error('duplicate key'), { code: '23505' }), 'INSERT 1');
    logger.logQueryError(Object.assign(new Error('conflicting key'), { code: '23P01' }), 'INSERT 2');
    expect(lines.map(([level, details]) => [level, details])).toEqual([
      ['debug', { sqlState: '23505', statement: 'INSERT 1' }],
      ['debug', { sqlState: '23P01', statement: 'INSERT 2' }],
    ]);
  });

  it('logs any other failure as an error without the driver message, which may quote values', () => {
    logger.logQueryError(Object.assign(new Error('value "Jane Roe" is too long'), { code: '22001' }), 'UPDATE patients SET name = $1');
    logger.logQueryError('connection reset', 'SELECT 1');
    expect(lines).toEqual([
      ['error', { sqlState: '22001', statement: 'UPDATE patients SET name = $1' }, 'Query failed'],
      ['error', { sqlState: undefined, statement: 'SELECT 1' }, 'Query failed'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('Jane Roe');
  });

  it('ignores parameters it is handed and shortens a statement to one line of 200 characters', () => {
    const statement = `SELECT *\n  FROM patients\n  WHERE ${'x = 1 AND '.repeat(40)}true`;
    const log = logger.logQuerySlow as (time: number, query: string, parameters: unknown[]) => void;
    log.call(logger, 1500, statement, ['Jane Roe']);
    const [[level, details]] = lines as [string, { durationMs: number; statement: string }][];
    expect(level).toBe('warn');
    expect(details.durationMs).toBe(1500);
    expect(details.statement).toHaveLength(200);
    expect(details.statement.startsWith('SELECT * FROM patients WHERE x = 1 AND')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain('Jane Roe');
  });

  it('passes migrations and warnings on, and drops query text, schema builds and info', () => {
    logger.logMigration('1 migration applied');
    logger.log('warn', 'pool is full');
    logger.log('info', 'connected');
    logger.logQuery();
    logger.logSchemaBuild();
    expect(lines).toEqual([
      ['log', '1 migration applied'],
      ['warn', 'pool is full'],
    ]);
  });
});

describe('dataSourceOptions', () => {
  const config = { DB_HOST: 'db', DB_PORT: 5433, DB_USER: 'svc', DB_PASSWORD: '', DB_NAME: 'patients', DB_POOL_SIZE: 7, DB_SSL: false };

  it('builds schemas by migrations at start-up only, never synchronize, and logs through the parameter-free logger', () => {
    const options = dataSourceOptions(config, { entities: [], migrations: [] });
    expect(options).toMatchObject({
      type: 'postgres',
      host: 'db',
      port: 5433,
      username: 'svc',
      database: 'patients',
      migrationsRun: true,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      ssl: false,
      extra: { max: 7, statement_timeout: 10000 },
    });
    expect(options.logger).toBeInstanceOf(ParameterFreeQueryLogger);
  });

  it('sends no password for trust authentication and verifies the certificate over TLS', () => {
    expect(dataSourceOptions(config, { entities: [], migrations: [] })).toMatchObject({ password: undefined });
    expect(dataSourceOptions({ ...config, DB_PASSWORD: 's3cret', DB_SSL: true }, { entities: [], migrations: [] })).toMatchObject({
      password: 's3cret',
      ssl: { rejectUnauthorized: true },
    });
  });
});
