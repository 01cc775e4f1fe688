import { ProblemException } from '@pm/platform';
import { parseListPatientsQuery } from './list-patients.query';

function errorsFor(raw: Record<string, unknown>): Record<string, string> {
  try {
    parseListPatientsQuery(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    const body = (error as ProblemException).getResponse() as { status: number; errors: Record<string, string> };
    expect(body.status).toBe(400);
    return body.errors;
  }
  throw new Error('expected the query to be refused');
}

describe('parseListPatientsQuery', () => {
  it('defaults to the first page of ten, by name ascending, unfiltered', () => {
    expect(parseListPatientsQuery({})).toEqual({ page: 1, size: 10, sort: 'asc', sortField: 'name', searchValue: undefined });
  });

  it('treats blank parameters as absent and ignores unknown ones', () => {
    expect(parseListPatientsQuery({ page: '', size: '', sort: '', sortField: '', searchValue: '', _: '123' })).toEqual({
      page: 1,
      size: 10,
      sort: 'asc',
      sortField: 'name',
      searchValue: undefined,
    });
  });

  it('reads every parameter, sort in any case, search trimmed', () => {
    expect(parseListPatientsQuery({ page: '3', size: '100', sort: 'DESC', sortField: 'registeredDate', searchValue: ' smith ' })).toEqual({
      page: 3,
      size: 100,
      sort: 'desc',
      sortField: 'registeredDate',
      searchValue: 'smith',
    });
  });

  it.each(['address', 'dateOfBirth'])('refuses sorting by the encrypted field %p', (sortField) => {
    expect(errorsFor({ sortField })).toEqual({
      sortField: 'cannot sort by an encrypted field; sortField must be one of name, email, registeredDate',
    });
  });

  it.each(['0', '-1', '1.5', 'abc', '1e3', '1000001'])('refuses page %p', (page) => {
    expect(errorsFor({ page })).toEqual({ page: expect.stringContaining('page must be') });
  });

  it.each(['0', '101', 'ten'])('refuses size %p', (size) => {
    expect(errorsFor({ size })).toEqual({ size: 'size must be a whole number from 1 to 100' });
  });

  it('names every bad parameter at once', () => {
    expect(Object.keys(errorsFor({ page: '0', size: '500', sort: 'up', sortField: 'password', searchValue: ['a', 'b'] }))).toEqual([
      'page',
      'size',
      'sort',
      'sortField',
      'searchValue',
    ]);
  });

  it('refuses a repeated parameter, an over-long search and a NUL in it', () => {
    expect(errorsFor({ page: ['1', '2'] })).toHaveProperty('page');
    expect(errorsFor({ searchValue: 'x'.repeat(256) })).toEqual({ searchValue: 'searchValue cannot exceed 255 characters' });
    expect(errorsFor({ searchValue: 'a\u0000' })).toHaveProperty('searchValue');
  });

  it('refuses a repeated sort, naming sort only', () => {
    expect(errorsFor({ sort: ['asc', 'desc'] })).toEqual({ sort: 'sort must be asc or desc' });
  });
});
