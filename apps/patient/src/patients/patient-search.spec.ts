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
    expect(sql).not.toContain('name_sounds @>');
  });

  it('ranks and counts at most MAX_RANKED_MATCHES matches', () => {
    expect(searchSql('id', 'lower(name)', 'ASC', 'john')).toContain(`LIMIT ${MAX_RANKED_MATCHES}`);
  });
});
