import { ProblemException } from '@pm/platform';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 1_000_000;

export interface ListUsersQuery {
  page: number;
  size: number;
}

function wholeNumber(raw: unknown, fallback: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) return undefined;
  const number = Number(raw);
  return number >= 1 && number <= max ? number : undefined;
}

/** Reads `page` (from 1) and `size` from a query string; a bad value is a 400 naming it. */
export function parseListUsersQuery(raw: Record<string, unknown>): ListUsersQuery {
  const errors: Record<string, string> = {};
  const page = wholeNumber(raw.page, 1, MAX_PAGE);
  if (page === undefined) errors.page = `page must be a whole number from 1 to ${MAX_PAGE}`;
  const size = wholeNumber(raw.size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  if (size === undefined) errors.size = `size must be a whole number from 1 to ${MAX_PAGE_SIZE}`;
  if (Object.keys(errors).length > 0) throw ProblemException.badRequest('The query has invalid parameters', errors);
  return { page: page!, size: size! };
}
