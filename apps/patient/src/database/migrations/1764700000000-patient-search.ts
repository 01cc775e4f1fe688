import { sqlMigration } from '@pm/platform';

/** Trigram indexes on the live patients' names and emails (the search-words migration's down makes them again). */
export const patientTrigramIndexes = [
  'CREATE INDEX ix_patients_name_trgm ON patients USING gin (lower(name) public.gin_trgm_ops) WHERE deleted_at IS NULL',
  'CREATE INDEX ix_patients_email_trgm ON patients USING gin (lower(email) public.gin_trgm_ops) WHERE deleted_at IS NULL',
];

/** The indexed sound codes of names (the search-words migration's down makes them again). */
export const patientNameSounds = [
  // The Double Metaphone code of every word of a name (dmetaphone is IMMUTABLE, so this can be
  // indexed). Extension functions are schema-qualified so a restore or another search_path
  // computes the same codes the index holds.
  `CREATE FUNCTION patient_name_sounds(name text) RETURNS text[]
   LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
   RETURN ARRAY(
     SELECT DISTINCT public.dmetaphone(word)
     FROM regexp_split_to_table(name, '[^[:alpha:]]+') AS word
     WHERE word <> '' AND public.dmetaphone(word) <> ''
   )`,
  // Stored, so a search rechecking thousands of candidate rows reads the codes, not recomputes them.
  'ALTER TABLE patients ADD COLUMN name_sounds text[] GENERATED ALWAYS AS (patient_name_sounds(name)) STORED',
  'CREATE INDEX ix_patients_name_sounds ON patients USING gin (name_sounds) WHERE deleted_at IS NULL',
];

/**
 * Finding patients by name or email: trigram indexes answer substring (LIKE) and typo-tolerant
 * (word similarity) searches, and an index of each name word's Double Metaphone code answers
 * sound-alikes ("Kathryn" for "Catherine"). Only live patients are searched, so the indexes are
 * partial.
 */
export class PatientSearch1764700000000 extends sqlMigration('PatientSearch1764700000000', {
  up: ['CREATE EXTENSION IF NOT EXISTS pg_trgm', 'CREATE EXTENSION IF NOT EXISTS fuzzystrmatch', ...patientTrigramIndexes, ...patientNameSounds],
  down: [
    'ALTER TABLE patients DROP COLUMN name_sounds',
    'DROP INDEX ix_patients_email_trgm',
    'DROP INDEX ix_patients_name_trgm',
    'DROP FUNCTION patient_name_sounds(text)',
    // The extensions stay: another object may have come to depend on them.
  ],
}) {}
