import type { FhirPaging } from '@pm/fhir';
import { isCalendarDate } from '../patients/shared/dto/patient-rules';
import type { PatientCriteria } from '../patients/shared/patient.entity';
import { FhirOutcomeException } from './fhir-input';
import { LOINC, OBSERVATION_CATEGORY, patientIdOf } from './fhir-terms';

export const DEFAULT_FHIR_COUNT = 20;
export const MAX_FHIR_COUNT = 100;
const MAX_OFFSET = 100_000_000;
const MAX_TEXT = 255;
/** Asked for how the answer is written, which is always JSON here: accepted and ignored. */
const FORMAT_PARAMS = ['_format', '_pretty'];


export type { FhirPaging };

export interface ClinicalSearch extends FhirPaging {
  patientId: string;
  /** Observation only: a LOINC code. */
  code?: string;
}

/** Reads a search's parameters: each at most once, none but `known`; every bad one named at once. */
class SearchParams {
  readonly errors: Record<string, string> = {};

  constructor(
    private readonly raw: Record<string, unknown>,
    known: readonly string[],
  ) {
    for (const name of Object.keys(raw)) {
      if (!known.includes(name) && !FORMAT_PARAMS.includes(name) && name !== '_count' && name !== '_offset') {
        this.errors[name] = `is not a search parameter here; use ${[...known, '_count', '_offset'].join(', ')}`;
      }
    }
  }

  text(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') this.errors[name] = 'must be given once';
    else if (value.length > MAX_TEXT) this.errors[name] = `cannot exceed ${MAX_TEXT} characters`;
    else return value.trim();
    return undefined;
  }

  wholeNumber(name: string, fallback: number, [min, max]: [number, number]): number {
    const value = this.text(name);
    if (value === undefined) return fallback;
    if (/^\d{1,9}$/.test(value) && Number(value) >= min && Number(value) <= max) return Number(value);
    this.errors[name] ??= `must be a whole number from ${min} to ${max}`;
    return fallback;
  }

  paging(): FhirPaging {
    return { offset: this.wholeNumber('_offset', 0, [0, MAX_OFFSET]), size: this.wholeNumber('_count', DEFAULT_FHIR_COUNT, [1, MAX_FHIR_COUNT]) };
  }

  /** Throws the 400 naming every bad parameter, if any. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw FhirOutcomeException.invalid(this.errors);
  }
}

/**
 * `Patient?name=&birthdate=&email=&_count=&_offset=`: name typo-tolerant like the REST search,
 * birthdate an exact date (birth dates are encrypted: no prefixes or ranges), email exact.
 */
export function parsePatientSearch(raw: Record<string, unknown>): PatientCriteria {
  const params = new SearchParams(raw, ['name', 'birthdate', 'email']);
  const name = params.text('name');
  const email = params.text('email');
  const birthDate = params.text('birthdate');
  if (birthDate !== undefined && !isCalendarDate(birthDate)) {
    params.errors.birthdate = 'must be an exact date (YYYY-MM-DD): birth dates are encrypted, so no prefixes or ranges';
  }
  const paging = params.paging();
  params.done();
  return { name, email, birthDate, ...paging };
}

/** `{Type}?patient=&_count=&_offset=` (Observation also `category=vital-signs&code=`): the patient is required. */
export function parseClinicalSearch(raw: Record<string, unknown>, { observation }: { observation: boolean }): ClinicalSearch {
  const params = new SearchParams(raw, observation ? ['patient', 'category', 'code'] : ['patient']);
  const reference = params.text('patient');
  const patientId = patientIdOf(reference);
  if (reference === undefined) params.errors.patient ??= 'is required: Patient/{id} or the id';
  else if (!patientId) params.errors.patient ??= 'must be Patient/{id} or the id (a UUID)';
  let code: string | undefined;
  if (observation) {
    const category = params.text('category');
    if (category !== undefined && category !== 'vital-signs' && category !== `${OBSERVATION_CATEGORY}|vital-signs`) {
      params.errors.category = 'only vital-signs is served';
    }
    const token = params.text('code');
    code = token?.startsWith(`${LOINC}|`) ? token.slice(LOINC.length + 1) : token;
    if (code !== undefined && !/^\d{1,7}-\d$/.test(code)) params.errors.code = 'must be one LOINC code (8867-4), optionally as http://loinc.org|8867-4';
  }
  const paging = params.paging();
  params.done();
  return { patientId: patientId!, ...(code ? { code } : {}), ...paging };
}
