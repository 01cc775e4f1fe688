import { isUuid } from '@pm/platform';
import { InvalidFhirSearchError } from './fhir-appointments.errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `GET /fhir/R4/Appointment?…` as the repository asks it. */
export interface AppointmentSearch {
  patientId: string;
  /** Inclusive lower bound on the start, when `date` gives one. */
  from?: Date;
  /** Exclusive upper bound on the start, when `date` gives one. */
  to?: Date;
  count: number;
  offset: number;
  /** The `date` values as given, for the links to other pages. */
  dates: readonly string[];
}

/** The parameters a search may carry: the served ones, `_offset` (our next links) and `_format`, which is ignored (JSON only). */
const KNOWN = new Set(['patient', 'date', '_count', '_offset', '_format']);
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_VALUE = /^(eq|ge|le)?(.*)$/;
const ONE_DAY_MS = 86_400_000;

function values(query: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = query[name];
  if (value === undefined) return [];
  const all = Array.isArray(value) ? value : [value];
  if (all.some((item) => typeof item !== 'string')) throw new InvalidFhirSearchError(name, `${name} must be a plain value`);
  return all as string[];
}

function single(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const all = values(query, name);
  if (all.length > 1) throw new InvalidFhirSearchError(name, `${name} may be given once`);
  return all[0];
}

/** A `YYYY-MM-DD` that is a real day, as midnight UTC; undefined otherwise. */
function dayStart(text: string): Date | undefined {
  const parts = DAY.exec(text);
  if (!parts) return undefined;
  const [year, month, day] = parts.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

function wholeNumber(query: Readonly<Record<string, unknown>>, name: string, min: number, max: number, fallback: number): number {
  const text = single(query, name);
  if (text === undefined) return fallback;
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new InvalidFhirSearchError(name, `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** `Patient/{id}` or the bare id, as a lower-case UUID. */
function patientOf(query: Readonly<Record<string, unknown>>): string {
  const text = single(query, 'patient');
  if (text === undefined || text === '') throw new InvalidFhirSearchError('patient', 'patient is required: Patient/{id} or the id');
  const id = text.startsWith('Patient/') ? text.slice('Patient/'.length) : text;
  if (!isUuid(id)) throw new InvalidFhirSearchError('patient', 'patient must be Patient/{id} or the id, a UUID');
  return id.toLowerCase();
}

/** The start's bounds from each `date` value: a day, or `ge`/`le` a day (UTC); several narrow each other. */
function startBounds(query: Readonly<Record<string, unknown>>): Pick<AppointmentSearch, 'from' | 'to'> {
  let from: Date | undefined;
  let to: Date | undefined;
  for (const value of values(query, 'date')) {
    const [, prefix = 'eq', text] = DATE_VALUE.exec(value)!;
    const day = dayStart(text);
    if (!day) throw new InvalidFhirSearchError('date', 'date must be YYYY-MM-DD, optionally prefixed with ge or le');
    const next = new Date(day.getTime() + ONE_DAY_MS);
    if (prefix !== 'le' && (!from || day > from)) from = day;
    if (prefix !== 'ge' && (!to || next < to)) to = next;
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** Reads a search's query string, refusing (400, naming the parameter) anything it cannot serve. */
export function parseAppointmentSearch(query: Readonly<Record<string, unknown>>): AppointmentSearch {
  const unknown = Object.keys(query).find((name) => !KNOWN.has(name));
  if (unknown !== undefined) throw new InvalidFhirSearchError(unknown, `${unknown} is not a search parameter of Appointment (patient, date, _count)`);
  return {
    patientId: patientOf(query),
    ...startBounds(query),
    count: wholeNumber(query, '_count', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
    offset: wholeNumber(query, '_offset', 0, 100_000_000, 0),
    dates: values(query, 'date'),
  };
}
