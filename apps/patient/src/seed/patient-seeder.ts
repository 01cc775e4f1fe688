import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import type { ClinicalEntry } from '../clinical/clinical-entry';
import { CLINICAL_MAPPINGS } from '../clinical/clinical-mappings';
import type { FieldCipher } from '../crypto/field-cipher';
import { scaledClinicalHistory } from '../demo/demo-clinical-history';
import { syntheticPatient } from './synthetic-patients';

const BATCH_SIZE = 10_000;
/** Patients whose clinical entries go in one statement (at 50 per kind, 10,000 entries). */
const CLINICAL_BATCH_PATIENTS = 40;
export const MAX_COUNT = 10_000_000;
export const MAX_CLINICAL_PER_KIND = 1_000;
/** Who the seeded clinical entries were recorded by (a user id in the service's own entries). */
export const SEED_RECORDER = 'seed-patients';

const INSERT_PATIENTS = `
  INSERT INTO patients (name, email, address, date_of_birth, birth_date_index, registered_date)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[]) RETURNING id`;

const INSERT_ENTRIES = `
  INSERT INTO clinical_entries (id, patient_id, kind, status, code, effective_at, details, recorded_by, recorded_at, updated_by, updated_at)
  SELECT id, patient_id, kind, status, code, effective_at, details, $8, $9, $8, $9
  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[]) AS t(id, patient_id, kind, status, code, effective_at, details)`;

const INSERT_VERSIONS = `
  INSERT INTO clinical_entry_versions (entry_id, version, change, changed_by, changed_at, snapshot)
  SELECT entry_id, 1, 'RECORDED', $3, $4, snapshot FROM unnest($1::uuid[], $2::text[]) AS t(entry_id, snapshot)`;

export interface SeedOptions {
  count: number;
  /** Clinical entries of every kind per patient (0: none). */
  clinical: number;
  /** Keeps emails unique when a database is seeded more than once. */
  tag: string;
  log?: (line: string) => void;
  now?: Date;
}

/**
 * Loads `count` synthetic patients, and `clinical` entries of every kind for each, in one
 * transaction: the search (GIN) indexes are dropped, the rows loaded in batches of arrays
 * (INSERT ... SELECT FROM unnest), and the indexes built again in bulk from their own definitions
 * (many times faster than row by row); a failure leaves the database as it was. Fields are
 * encrypted exactly as the service writes them; the ids of the patients made are returned.
 */
export async function seedPatients(dataSource: DataSource, cipher: FieldCipher, options: SeedOptions): Promise<string[]> {
  const { count, clinical, tag, log = () => undefined, now = new Date() } = options;
  const runner = dataSource.createQueryRunner();
  const ids: string[] = [];
  try {
    await runner.startTransaction();
    await runner.query("SET LOCAL maintenance_work_mem = '256MB'");
    const searchIndexes: { indexname: string; indexdef: string }[] = await runner.query(
      `SELECT indexname, indexdef FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'patients' AND indexdef LIKE '% USING gin %'`,
    );
    for (const { indexname } of searchIndexes) await runner.query(`DROP INDEX "${indexname}"`);
    for (let from = 0; from < count; from += BATCH_SIZE) {
      const made: { id: string }[] = await runner.query(INSERT_PATIENTS, patientColumns(cipher, from, Math.min(from + BATCH_SIZE, count), tag));
      const batchIds = made.map((row) => row.id);
      ids.push(...batchIds);
      for (let at = 0; clinical > 0 && at < batchIds.length; at += CLINICAL_BATCH_PATIENTS) {
        await insertClinical(runner, cipher, batchIds.slice(at, at + CLINICAL_BATCH_PATIENTS), from + at, clinical, now);
      }
      const done = Math.min(from + BATCH_SIZE, count);
      if (done % 100_000 === 0 || done === count) log(`seed-patients: ${done}/${count} patients${clinical ? `, ${clinical} clinical entries of each kind apiece` : ''}`);
    }
    for (const { indexdef } of searchIndexes) await runner.query(indexdef);
    await runner.commitTransaction();
    await runner.query('ANALYZE patients');
    if (clinical > 0) await runner.query('ANALYZE clinical_entries');
    return ids;
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

function patientColumns(cipher: FieldCipher, from: number, to: number, tag: string): string[][] {
  const columns: string[][] = [[], [], [], [], [], []];
  for (let i = from; i < to; i++) {
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
}

/** The patients' histories (scaledClinicalHistory) as entries and first versions, sealed as the repository seals them. */
async function insertClinical(runner: QueryRunner, cipher: FieldCipher, patientIds: string[], firstIndex: number, perKind: number, now: Date): Promise<void> {
  const entries: string[][] = [[], [], [], [], [], [], []];
  const versions: string[][] = [[], []];
  patientIds.forEach((patientId, offset) => {
    scaledClinicalHistory(firstIndex + offset, perKind, now).forEach(({ kind, body }, position) => {
      const fields = CLINICAL_MAPPINGS[kind].toFields(body);
      // A second apart, so every kind sorts newest first in the order it was generated.
      const entry: ClinicalEntry = {
        id: randomUUID(),
        patientId,
        kind,
        status: fields.status,
        code: fields.code,
        effectiveAt: fields.effectiveAt ?? new Date(now.getTime() - position * 1000),
        details: fields.details,
        version: 1,
        recordedBy: SEED_RECORDER,
        recordedAt: now,
        updatedBy: SEED_RECORDER,
        updatedAt: now,
        enteredInError: null,
      };
      const row = [entry.id, patientId, kind, entry.status, entry.code, entry.effectiveAt.toISOString(), cipher.encrypt(JSON.stringify(entry.details))];
      row.forEach((value, column) => entries[column].push(value as string));
      versions[0].push(entry.id);
      versions[1].push(cipher.encrypt(JSON.stringify(entry)));
    });
  });
  await runner.query(INSERT_ENTRIES, [...entries, SEED_RECORDER, now]);
  await runner.query(INSERT_VERSIONS, [...versions, SEED_RECORDER, now]);
}
