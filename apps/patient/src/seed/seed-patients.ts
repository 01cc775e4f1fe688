/**
 * `npm run seed:patients -- --count N [--database NAME]`: loads N synthetic patients into the
 * patient database given by the DB_* variables (or `--database`), migrating it first. Rows are
 * sent 10,000 at a time as arrays (INSERT ... SELECT FROM unnest) in one transaction, with
 * address and birth date encrypted exactly as the service writes them. Seeded patients are
 * benchmark and demo data: no events and no billing accounts are made for them.
 */
import { loadConfigOrExit, dataSourceOptions } from '@pm/platform';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource, DataSourceOptions } from 'typeorm';
import { patientConfigSchema } from '../config/patient.config';
import { fieldCipherFrom } from '../crypto/field-cipher.provider';
import { patientSchema } from '../database/patient-schema';
import { syntheticPatient } from './synthetic-patients';

const BATCH_SIZE = 10_000;
const MAX_COUNT = 10_000_000;

const INSERT_BATCH = `
  INSERT INTO patients (name, email, address, date_of_birth, birth_date_index, registered_date)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[])`;

function parseCommandLine(): { count: number; database?: string } {
  const { values } = parseArgs({ options: { count: { type: 'string' }, database: { type: 'string' } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new Error(`--count must be a whole number from 1 to ${MAX_COUNT}`);
  }
  return { count, database: values.database };
}

async function main(): Promise<void> {
  const { count, database } = parseCommandLine();
  if (database) process.env.DB_NAME = database;
  const config = loadConfigOrExit(patientConfigSchema, 'seed-patients');
  const cipher = fieldCipherFrom(config);
  const options = dataSourceOptions({ ...config, DB_POOL_SIZE: 1 }, patientSchema);
  // A bulk load: batches take seconds (no statement timeout, no slow-query warnings).
  const dataSource = new DataSource({
    ...options,
    logging: ['error', 'migration'],
    maxQueryExecutionTime: undefined,
    extra: { ...options.extra, statement_timeout: 0, options: '-c synchronous_commit=off' },
  } as DataSourceOptions);
  await dataSource.initialize();
  const started = Date.now();
  // A run tag keeps emails unique when a database is seeded more than once.
  const tag = randomBytes(3).toString('hex');
  const runner = dataSource.createQueryRunner();
  try {
    // One transaction: the search (GIN) indexes are dropped, the rows loaded, and the indexes
    // built again in bulk from their own definitions (many times faster than updating them row by
    // row); a failure leaves the database as it was.
    await runner.startTransaction();
    await runner.query("SET LOCAL maintenance_work_mem = '256MB'");
    const searchIndexes: { indexname: string; indexdef: string }[] = await runner.query(
      `SELECT indexname, indexdef FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'patients' AND indexdef LIKE '% USING gin %'`,
    );
    for (const { indexname } of searchIndexes) await runner.query(`DROP INDEX "${indexname}"`);
    const batch = (from: number): string[][] => {
      const columns: string[][] = [[], [], [], [], [], []];
      for (let i = from; i < Math.min(from + BATCH_SIZE, count); i++) {
        const patient = syntheticPatient(i, tag);
        columns[0].push(patient.name);
        columns[1].push(patient.email);
        columns[2].push(cipher.encrypt(patient.address));
        columns[3].push(cipher.encrypt(patient.dateOfBirth));
        // The keyed hash duplicate detection looks birth dates up by, as the service writes it.
        columns[4].push(cipher.blindIndex(patient.dateOfBirth));
        columns[5].push(patient.registeredDate);
      }
      return columns;
    };
    for (let from = 0; from < count; from += BATCH_SIZE) {
      await runner.query(INSERT_BATCH, batch(from));
      const done = Math.min(from + BATCH_SIZE, count);
      if (done % 100_000 === 0 || done === count) process.stdout.write(`seed-patients: ${done}/${count} rows\n`);
    }
    for (const { indexdef } of searchIndexes) await runner.query(indexdef);
    await runner.commitTransaction();
    await runner.query('ANALYZE patients');
    process.stdout.write(`seed-patients: ${count} patients loaded into ${config.DB_NAME} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  // The message only: a failed INSERT's parameters would be patient data.
  process.stderr.write(`seed-patients: ${error.message}\n`);
  process.exit(1);
});
