/**
 * The SQL of a patient search (`searchValue`). A patient matches when its name or email contains
 * the term (case-insensitively, wildcards literal), or when every word of the term is close to a
 * word of the name or email (pg_trgm word similarity: typos) or sounds like a word of the name
 * (Double Metaphone: "Jon Do" finds John Doe). The partial GIN indexes of the patient-search
 * migration answer each of these.
 *
 * Ranking: prefix (or exact) > substring > every word similar > some word only sounds alike;
 * fuzzy matches by closeness (word similarity of the whole term, then edit distance); ties by
 * the requested sort and the id.
 */

/** `%term%` for LIKE with the term's own `%`, `_` and `\` matched literally. */
export function containsPattern(term: string): string {
  return `%${escapeLike(term)}%`;
}

/** `term%` for LIKE, wildcards literal. */
export function prefixPattern(term: string): string {
  return `${escapeLike(term)}%`;
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, '\\$&');
}

/**
 * A search ranks at most this many matching patients (the first found); a term matching more
 * (a common first name, an email domain) reports this many in totalElements. Ranking every one
 * of 100,000 matches would cost seconds; below the cap, counts and ranking are exact.
 */
export const MAX_RANKED_MATCHES = 2000;

/** At most this many words of a term are matched fuzzily (each costs index scans). */
export const MAX_FUZZY_WORDS = 5;

/** The words of a term (letters and digits), at most MAX_FUZZY_WORDS of them. */
export function termWords(term: string): string[] {
  return term.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '').slice(0, MAX_FUZZY_WORDS);
}

/** The parameters of searchSql: $1 term, $2 contains, $3 prefix, $4 limit, $5 offset, $6... words. */
export function searchParams(term: string, limit: number, offset: number): unknown[] {
  return [term, containsPattern(term), prefixPattern(term), limit, offset, ...termWords(term)];
}

/**
 * One statement answering a page and the number of matches: it always returns at least one row,
 * whose `total` is the count; a row of a page past the end has a null id. `columns` is the
 * select list of a patient row, `order` the requested sort expression, `direction` ASC or DESC.
 * A fuzzy match needs every word of the term to be close to (typo) or sound like a word of the
 * name, or close to the email, so one shared long word does not match the whole table.
 */
export function searchSql(columns: string, order: string, direction: 'ASC' | 'DESC', term: string): string {
  const name = 'lower(name)';
  const email = 'lower(email)';
  const words = termWords(term).map((_, i) => `lower($${i + 6}::text)`);
  const typo = (word: string) => `${word} <% ${name} OR ${word} <% ${email}`;
  // A word with no sound (digits) would be contained in every name: it can only match by typo.
  const sound = (word: string) => `(cardinality(patient_name_sounds(${word})) > 0 AND name_sounds @> patient_name_sounds(${word}))`;
  const substring = `${name} LIKE lower($2::text) OR ${email} LIKE lower($2::text)`;
  // "substring OR every word fuzzy", written as "every word: substring OR fuzzy", so the planner
  // ANDs one bitmap per word instead of rechecking every row the first word alone matches.
  const matches = words.length === 0 ? substring : words.map((word) => `(${substring} OR ${typo(word)} OR ${sound(word)})`).join(' AND ');
  const allTypos = words.length === 0 ? 'false' : words.map((word) => `(${typo(word)})`).join(' AND ');
  const whole = 'lower($1::text)';
  const ranking = `tier, closeness DESC, distance, ${order} ${direction}, id ${direction}`;
  return `
    WITH matched AS MATERIALIZED (
      SELECT *,
        CASE
          WHEN ${name} LIKE lower($3::text) OR ${email} LIKE lower($3::text) THEN 0
          WHEN ${name} LIKE lower($2::text) OR ${email} LIKE lower($2::text) THEN 1
          WHEN ${allTypos} THEN 2
          ELSE 3
        END AS tier
      FROM patients
      WHERE deleted_at IS NULL AND ${matches}
      LIMIT ${MAX_RANKED_MATCHES}
    ),
    ranked AS (
      SELECT *,
        CASE WHEN tier >= 2 THEN greatest(word_similarity(${whole}, ${name}), word_similarity(${whole}, ${email})) ELSE 0 END AS closeness,
        CASE WHEN tier >= 2 THEN levenshtein(left(${whole}, 255), ${name}) ELSE 0 END AS distance
      FROM matched
    ),
    page AS (SELECT * FROM ranked ORDER BY ${ranking} LIMIT $4 OFFSET $5)
    SELECT (SELECT count(*) FROM matched) AS total, ${columns}
    FROM (SELECT 1) AS always_one_row LEFT JOIN page ON true
    ORDER BY ${ranking}`;
}
