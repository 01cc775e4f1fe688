import { ProblemException } from '@pm/platform';
import { PatientListQuery, PatientSortFields, PatientSortField, SortDirection } from '../../shared/patient.entity';

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 1_000_000;
const MAX_SEARCH_LENGTH = 255;

/** Address and birth date are encrypted at rest: the database cannot order by them. */
export const SortablePatientFields = ['name', 'email', 'registeredDate'] as const satisfies readonly PatientSortField[];
const ENCRYPTED_FIELDS: readonly string[] = PatientSortFields.filter((field) => !(SortablePatientFields as readonly string[]).includes(field));

/** One query parameter; a blank one counts as absent, as it did in the seed systems. */
function single(raw: Record<string, unknown>, name: string): string | string[] | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  return Array.isArray(value) ? value.map(String) : String(value);
}

function wholeNumber(value: string | string[] | undefined, fallback: number, max: number): number | undefined {
  if (value === undefined) return fallback;
  if (Array.isArray(value) || !/^\d{1,9}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 && number <= max ? number : undefined;
}

/**
 * Reads `page`, `size`, `sort`, `sortField` and `searchValue` (compat) from a query string.
 * Other parameters are ignored, as the seed systems did; a bad value is a 400 naming it.
 * `sortable` is what the caller may sort by (a role sorts only by fields it sees), and all that
 * a refused `sortField` is offered.
 */
export function parseListPatientsQuery(raw: Record<string, unknown>, sortable: readonly PatientSortField[] = SortablePatientFields): PatientListQuery {
  const errors: Record<string, string> = {};

  const page = wholeNumber(single(raw, 'page'), 1, MAX_PAGE);
  if (page === undefined) errors.page = `page must be a whole number from 1 to ${MAX_PAGE}`;

  const size = wholeNumber(single(raw, 'size'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (size === undefined) errors.size = `size must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

  const rawSort = single(raw, 'sort') ?? 'asc';
  const sort = typeof rawSort === 'string' ? rawSort.toLowerCase() : undefined;
  if (sort !== 'asc' && sort !== 'desc') errors.sort = 'sort must be asc or desc';

  const sortField = single(raw, 'sortField') ?? 'name';
  const offered = `sortField must be one of ${sortable.join(', ')}`;
  if (typeof sortField === 'string' && ENCRYPTED_FIELDS.includes(sortField)) {
    errors.sortField = `cannot sort by an encrypted field; ${offered}`;
  } else if (typeof sortField === 'string' && (SortablePatientFields as readonly string[]).includes(sortField) && !(sortable as readonly string[]).includes(sortField)) {
    errors.sortField = `${offered} (the fields your role may see)`;
  } else if (typeof sortField !== 'string' || !(sortable as readonly string[]).includes(sortField)) {
    errors.sortField = offered;
  }

  const rawSearch = single(raw, 'searchValue');
  if (Array.isArray(rawSearch)) errors.searchValue = 'searchValue must be given once';
  else if (rawSearch !== undefined && rawSearch.length > MAX_SEARCH_LENGTH) {
    errors.searchValue = `searchValue cannot exceed ${MAX_SEARCH_LENGTH} characters`;
  } else if (rawSearch?.includes('\u0000')) errors.searchValue = 'searchValue contains a character that is not allowed';
  const searchValue = typeof rawSearch === 'string' && rawSearch.trim() !== '' ? rawSearch.trim() : undefined;

  if (Object.keys(errors).length > 0) throw ProblemException.badRequest('The query has invalid parameters', errors);
  return {
    page: page!,
    size: size!,
    sort: sort as SortDirection,
    sortField: sortField as PatientSortField,
    searchValue,
  };
}
