/**
 * `npm run seed:patients -- --count N [--clinical K] [--database NAME]`: loads N synthetic
 * patients, and with --clinical K entries of every kind (allergies, conditions, medications,
 * vital signs, notes) for each, into the patient database given by the DB_* variables (or
 * `--database`), migrating it first (see patient-seeder.ts). Seeded patients are benchmark and
 * demo data: no events, no audit entries and no billing accounts are made for them.
 */
import { loadConfigOrExit, dataSourceOptions } from '@pm/platform';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource, DataSourceOptions } from 'typeorm';
import { patientConfigSchema } from '../config/patient.config';
import { fieldCipherFrom } from '../crypto/field-cipher.provider';
import { patientSchema } from '../database/patient-schema';
import { MAX_CLINICAL_PER_KIND, MAX_COUNT, seedPatients } from './patient-seeder';

export interface SeedCommandLine {
  count: number;
  clinical: number;
  database?: string;
}

/** The command line, or an error that names the option. */
export function parseCommandLine(args: string[]): SeedCommandLine {
  const { values } = parseArgs({ args, options: { count: { type: 'string' }, clinical: { type: 'string', default: '0' }, database: { type: 'string' } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new Error(`--count must be a whole number from 1 to ${MAX_COUNT}`);
  }
  const clinical = Number(values.clinical);
  if (!/^\d+$/.test(values.clinical) || clinical > MAX_CLINICAL_PER_KIND) {
    throw new Error(`--clinical must be a whole number from 0 to ${MAX_CLINICAL_PER_KIND} (entries of every kind per patient)`);
  }
  return { count, clinical, database: values.database };
}

async function main(): Promise<void> {
  const { count, clinical, database } = parseCommandLine(process.argv.slice(2));
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
  try {
    const log = (line: string) => process.stdout.write(`${line}\n`);
    await seedPatients(dataSource, cipher, { count, clinical, tag: randomBytes(3).toString('hex'), log });
    log(`seed-patients: ${count} patients loaded into ${config.DB_NAME} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    // The message only: a failed INSERT's parameters would be patient data.
    process.stderr.write(`seed-patients: ${error.message}\n`);
    process.exit(1);
  });
}
