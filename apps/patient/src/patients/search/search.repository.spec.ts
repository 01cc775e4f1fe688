import { containsPattern } from './patient-search';

describe('containsPattern', () => {
  it('matches the term anywhere, its own wildcards and backslashes literally', () => {
    expect(containsPattern('smith')).toBe('%smith%');
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});
