import type { DataSource } from 'typeorm';
import type { FieldCipher } from './field-cipher';

export interface ReencryptionProgress {
  /** Rows rewritten under the current key so far. */
  rewritten: number;
}

/**
 * Rewrites, in batches, every patient row whose address or birth date is plaintext (legacy) or
 * sealed under a key other than the current one, or that has no birth-date blind index yet. Each row is rewritten only if it still holds
 * the values read (compare-and-set), so a concurrent update is never overwritten; versions and
 * events are untouched (the patient's data does not change). Idempotent: a second run rewrites nothing.
 */
export async function reencryptPatients(
  dataSource: DataSource,
  cipher: FieldCipher,
  options: { batchSize?: number; onBatch?: (progress: ReencryptionProgress) => void; shouldStop?: () => boolean } = {},
): Promise<ReencryptionProgress> {
  const batchSize = options.batchSize ?? 500;
  const currentPrefix = `v1:${cipher.currentKeyId.replace(/[\\%_]/g, '\\$&')}:%`;
  const progress: ReencryptionProgress = { rewritten: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    if (options.shouldStop?.()) break;
    const rows = (await dataSource.query(
      `SELECT id, address, date_of_birth FROM patients
       WHERE id > $1 AND (address NOT LIKE $2 OR date_of_birth NOT LIKE $2 OR birth_date_index IS NULL)
       ORDER BY id LIMIT $3`,
      [after, currentPrefix, batchSize],
    )) as { id: string; address: string; date_of_birth: string }[];
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const resealed = rows.map((row) => ({
      id: row.id,
      oldAddress: row.address,
      oldDateOfBirth: row.date_of_birth,
      address: cipher.isStale(row.address) ? cipher.encrypt(cipher.decrypt(row.address)) : row.address,
      dateOfBirth: cipher.isStale(row.date_of_birth) ? cipher.encrypt(cipher.decrypt(row.date_of_birth)) : row.date_of_birth,
      birthDateIndex: cipher.blindIndex(cipher.decrypt(row.date_of_birth)),
    }));
    const updated = (await dataSource.query(
      `WITH changed AS (
         UPDATE patients p SET address = r.address, date_of_birth = r.date_of_birth, birth_date_index = r.birth_date_index
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
           AS r(id, old_address, old_date_of_birth, address, date_of_birth, birth_date_index)
         WHERE p.id = r.id AND p.address = r.old_address AND p.date_of_birth = r.old_date_of_birth
         RETURNING 1)
       SELECT count(*)::int AS count FROM changed`,
      [
        resealed.map((r) => r.id),
        resealed.map((r) => r.oldAddress),
        resealed.map((r) => r.oldDateOfBirth),
        resealed.map((r) => r.address),
        resealed.map((r) => r.dateOfBirth),
        resealed.map((r) => r.birthDateIndex),
      ],
    )) as { count: number }[];
    progress.rewritten += updated[0].count;
    options.onBatch?.(progress);
  }
  return progress;
}
