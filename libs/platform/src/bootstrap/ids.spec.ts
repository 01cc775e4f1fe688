import { UUID_PATTERN, isUuid } from './ids';

describe('isUuid', () => {
  it('accepts a UUID in either case, of any version layout', () => {
    expect(isUuid('123e4567-e89b-12d3-a456-426614174000')).toBe(true);
    expect(isUuid('F47AC10B-58CC-4372-A567-0E02B2C3D479')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
    expect(UUID_PATTERN.test('a0000000-0000-0000-0000-00000000000a')).toBe(true);
  });

  it('refuses anything else, without throwing on non-strings', () => {
    for (const value of ['', 'not-a-uuid', '123e4567e89b12d3a456426614174000', '123e4567-e89b-12d3-a456-42661417400', '{123e4567-e89b-12d3-a456-426614174000}', ' 123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456-42661417400g']) {
      expect(isUuid(value)).toBe(false);
    }
    expect(isUuid(undefined)).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
