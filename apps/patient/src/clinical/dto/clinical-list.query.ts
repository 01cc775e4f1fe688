import { ProblemException } from '@pm/platform';
import type { ListOptions } from '../clinical.repository';

export const DEFAULT_CLINICAL_PAGE_SIZE = 20;
export const MAX_CLINICAL_PAGE_SIZE = 100;
const MAX_PAGE = 100_000;

function wholeNumber(value: unknown, fallback: number, max: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 && number <= max ? number : undefined;
}

/** Reads `page`, `size` and `status` (one of the kind's `statuses`); a bad value is a 400 naming it. */
export function parseClinicalListQuery(raw: Record<string, unknown>, statuses: readonly string[]): ListOptions {
  const errors: Record<string, string> = {};
  const page = wholeNumber(raw.page, 1, MAX_PAGE);
  if (page === undefined) errors.page = `page must be a whole number from 1 to ${MAX_PAGE}`;
  const size = wholeNumber(raw.size, DEFAULT_CLINICAL_PAGE_SIZE, MAX_CLINICAL_PAGE_SIZE);
  if (size === undefined) errors.size = `size must be a whole number from 1 to ${MAX_CLINICAL_PAGE_SIZE}`;
  const status = raw.status === '' ? undefined : raw.status;
  if (status !== undefined && (typeof status !== 'string' || !statuses.includes(status))) errors.status = `status must be one of ${statuses.join(', ')}`;
  if (Object.keys(errors).length > 0) throw ProblemException.badRequest('The query has invalid parameters', errors);
  return { page: page!, size: size!, status: status as string | undefined };
}

/** A yes/no query flag (`true` or `false`, absent is false); anything else is a 400 naming it. */
export function parseFlag(name: string, value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw ProblemException.badRequest('The query has invalid parameters', { [name]: `${name} must be true or false` });
}
