import { MAX_FUZZY_WORDS, MAX_RANKED_MATCHES, containsPattern, prefixPattern, searchParams, searchSql, termWords } from './patient-search';

describe('patient search SQL', () => {
  it('matches the term anywhere or as a prefix, its own wildcards and backslashes literally', () => {
    expect(containsPattern('smith')).toBe('%smith%');
    expect(prefixPattern('100%_a\\b')).toBe('100\\%\\_a\\\\b%');
  });

  it('matches letters-and-digits words fuzzily, at most a few', () => {
    expect(termWords("  O'Brien-Smith jo.2@x ")).toEqual(['O', 'Brien', 'Smith', 'jo', '2', 'x'].slice(0, MAX_FUZZY_WORDS));
    expect(termWords('Zoë Ångström')).toEqual(['Zoë', 'Ångström']);
    expect(termWords('%_')).toEqual([]);
  });

  it('binds one parameter per word after the paging ones, and never inlines the term', () => {
    expect(searchParams('Jon Do', 10, 20)).toEqual(['Jon Do', '%Jon Do%', 'Jon Do%', 10, 20, 'Jon', 'Do']);
    const sql = searchSql('id', 'lower(name)', 'ASC', 'Jon Do');
    expect(sql).toContain('lower($6::text)');
    expect(sql).toContain('lower($7::text)');
    expect(sql).not.toContain('$8');
    expect(sql).not.toContain('Jon');
  });

  it('matches nothing fuzzily for a term without words', () => {
    const sql = searchSql('id', 'lower(name)', 'DESC', '%');
    expect(sql).not.toContain('<%');
    expect(sql).not.toContain('patient_search_vocabulary');
    expect(sql).toMatch(/deleted_at IS NULL AND false AND/);
  });

  it('looks up the close words of each term word in the vocabulary, all of them required', () => {
    const sql = searchSql('id', 'lower(name)', 'ASC', 'Jon Do');
    expect(sql.match(/search_words && ARRAY\(SELECT word FROM patient_search_vocabulary/g)).toHaveLength(2);
    expect(sql).toContain('search_words && ARRAY(SELECT word FROM patient_search_vocabulary WHERE lower($6::text) <% word');
    expect(sql).toMatch(/\) AND search_words && /);
  });

  it('ranks and counts at most MAX_RANKED_MATCHES matches, substring matches first', () => {
    const sql = searchSql('id', 'lower(name)', 'ASC', 'john');
    expect(sql).toContain(`LIMIT ${MAX_RANKED_MATCHES}\n`);
    expect(sql).toContain(`LIMIT ${MAX_RANKED_MATCHES} - (SELECT count(*) FROM substring_matches)`);
  });
});
