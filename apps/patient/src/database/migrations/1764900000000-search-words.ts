import { sqlMigration } from '@pm/platform';
import { patientNameSounds, patientTrigramIndexes } from './1764700000000-patient-search';

/**
 * Search that stays fast at 1,000,000 patients (it took 100–500 ms).
 * - Typos and sound-alikes through a vocabulary instead of row by row: matching a typo against
 *   every patient's name made PostgreSQL recheck thousands of rows per search word, while the
 *   distinct words of all names are few (hundreds to tens of thousands). A search finds the close
 *   and sound-alike words in `patient_search_vocabulary`, then the patients holding them through an
 *   exact GIN index on `search_words` (the words of the name and of the email's mailbox).
 *   Statement-level triggers keep the vocabulary complete; it only grows (a word no live patient
 *   holds any more matches nobody).
 * - Substrings in one lower-cased column, `search_text` (name, newline, email), with one trigram
 *   index: its own statistics let the planner see how common a term is (two correlated columns
 *   made it guess a scan of the whole table), and a scan compares without lower-casing each row.
 */
export class SearchWords1764900000000 extends sqlMigration('SearchWords1764900000000', {
  up: [
    'DROP INDEX ix_patients_name_sounds',
    'ALTER TABLE patients DROP COLUMN name_sounds',
    'DROP FUNCTION patient_name_sounds(text)',
    'DROP INDEX ix_patients_name_trgm',
    'DROP INDEX ix_patients_email_trgm',
    // The newline keeps an ordinary term from matching across the end of the name and the email.
    "ALTER TABLE patients ADD COLUMN search_text text GENERATED ALWAYS AS (lower(name) || E'\\n' || lower(email)) STORED",
    'CREATE INDEX ix_patients_search_text_trgm ON patients USING gin (search_text public.gin_trgm_ops) WHERE deleted_at IS NULL',
    // Words are runs of letters between separators; a token mixing letters and digits (a number
    // or an id in a mailbox, "1d74") is not a word, or its letters would sound like every "d".
    `CREATE FUNCTION patient_search_words(name text, email text) RETURNS text[]
     LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
     RETURN ARRAY(
       SELECT DISTINCT word
       FROM regexp_split_to_table(lower(name) || ' ' || split_part(lower(email), '@', 1), '[^[:alnum:]]+') AS word
       WHERE word ~ '^[[:alpha:]]+$'
     )`,
    'ALTER TABLE patients ADD COLUMN search_words text[] GENERATED ALWAYS AS (patient_search_words(name, email)) STORED',
    'CREATE INDEX ix_patients_search_words ON patients USING gin (search_words) WHERE deleted_at IS NULL',
    // sound: the word's Double Metaphone code, null when it has none (digits, other scripts).
    'CREATE TABLE patient_search_vocabulary (word text PRIMARY KEY, sound text)',
    'CREATE INDEX ix_patient_search_vocabulary_trgm ON patient_search_vocabulary USING gin (word public.gin_trgm_ops)',
    'CREATE INDEX ix_patient_search_vocabulary_sound ON patient_search_vocabulary (sound)',
    // Words in a fixed order, so two transactions adding the same new words cannot deadlock.
    `
      CREATE FUNCTION patient_search_vocabulary_add() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO patient_search_vocabulary (word, sound)
        SELECT word, nullif(public.dmetaphone(word), '')
        FROM (SELECT DISTINCT unnest(search_words) AS word FROM changed_patients) AS words
        ORDER BY word
        ON CONFLICT (word) DO NOTHING;
        RETURN NULL;
      END $$`,
    // Transition tables allow one event per trigger: one for inserts, one for updates.
    ...['INSERT', 'UPDATE'].map(
      (event) => `
        CREATE TRIGGER patient_search_vocabulary_${event.toLowerCase()} AFTER ${event} ON patients
        REFERENCING NEW TABLE AS changed_patients FOR EACH STATEMENT EXECUTE FUNCTION patient_search_vocabulary_add()`,
    ),
    `INSERT INTO patient_search_vocabulary (word, sound)
     SELECT word, nullif(public.dmetaphone(word), '')
     FROM (SELECT DISTINCT unnest(search_words) AS word FROM patients) AS words
     ORDER BY word`,
  ],
  down: [
    'DROP TRIGGER patient_search_vocabulary_update ON patients',
    'DROP TRIGGER patient_search_vocabulary_insert ON patients',
    'DROP FUNCTION patient_search_vocabulary_add()',
    'DROP TABLE patient_search_vocabulary',
    'DROP INDEX ix_patients_search_words',
    'ALTER TABLE patients DROP COLUMN search_words',
    'DROP FUNCTION patient_search_words(text, text)',
    'DROP INDEX ix_patients_search_text_trgm',
    'ALTER TABLE patients DROP COLUMN search_text',
    // As the patient-search migration made them.
    ...patientTrigramIndexes,
    ...patientNameSounds,
  ],
}) {}
