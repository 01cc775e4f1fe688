/**
 * The SQL of a patient search (`searchValue`). A patient matches when its name or email contains
 * the term (case-insensitively, wildcards literal), or when every word of the term is close to a
 * word of the name or mailbox (pg_trgm word similarity: typos) or sounds like one (Double
 * Metaphone: "Jon Do" finds John Doe). The search migrations' indexes answer each of these.
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
 *
 * Substring matches (trigram indexes on name and email) are collected first, so a specific match
 * is never crowded out by fuzzy ones; fuzzy matches fill what is left of MAX_RANKED_MATCHES (none
 * are looked for when the substring matches fill it). A fuzzy match needs every word of the term to
 * be close to (typo) or sound like a word of the name or mailbox, so one shared long word does not
 * match the whole table: the close words come from the small vocabulary table, the patients
 * holding them from the exact GIN index on `search_words` (one bitmap per word, ANDed).
 * `filter` is a further condition every match meets (FHIR's `email` and `birthdate` beside `name`),
 * whose parameters follow the words'.
 */
export function searchSql(columns: string, order: string, direction: 'ASC' | 'DESC', term: string, filter = 'true'): string {
  const name = 'lower(name)';
  const email = 'lower(email)';
  const words = termWords(term).map((_, i) => `lower($${i + 6}::text)`);
  const substring = 'search_text LIKE lower($2::text)';
  const closeWords = (word: string) =>
    `ARRAY(SELECT word FROM patient_search_vocabulary WHERE ${word} <% word OR sound = nullif(public.dmetaphone(${word}), ''))`;
  const fuzzy = words.length === 0 ? 'false' : words.map((word) => `search_words && ${closeWords(word)}`).join(' AND ');
  const allTypos = words.length === 0 ? 'false' : words.map((word) => `(${word} <% ${name} OR ${word} <% ${email})`).join(' AND ');
  const whole = 'lower($1::text)';
  const ranking = `tier, closeness DESC, distance, ${order} ${direction}, id ${direction}`;
  return `
    WITH substring_matches AS MATERIALIZED (
      SELECT *, CASE WHEN ${name} LIKE lower($3::text) OR ${email} LIKE lower($3::text) THEN 0 ELSE 1 END AS tier
      FROM patients
      WHERE deleted_at IS NULL AND ${substring} AND (${filter})
      LIMIT ${MAX_RANKED_MATCHES}
    ),
    fuzzy_matches AS MATERIALIZED (
      SELECT *, CASE WHEN ${allTypos} THEN 2 ELSE 3 END AS tier
      FROM patients
      WHERE deleted_at IS NULL AND ${fuzzy} AND NOT ${substring} AND (${filter})
      LIMIT ${MAX_RANKED_MATCHES} - (SELECT count(*) FROM substring_matches)
    ),
    ranked AS MATERIALIZED (
      SELECT *,
        CASE WHEN tier >= 2 THEN greatest(word_similarity(${whole}, ${name}), word_similarity(${whole}, ${email})) ELSE 0 END AS closeness,
        CASE WHEN tier >= 2 THEN levenshtein(left(${whole}, 255), ${name}) ELSE 0 END AS distance
      FROM (SELECT * FROM substring_matches UNION ALL SELECT * FROM fuzzy_matches) AS matched
    ),
    page AS (SELECT * FROM ranked ORDER BY ${ranking} LIMIT $4 OFFSET $5)
    SELECT (SELECT count(*) FROM ranked) AS total, ${columns}
    FROM (SELECT 1) AS always_one_row LEFT JOIN page ON true
    ORDER BY ${ranking}`;
}
