import { ValidateBy, ValidationArguments } from 'class-validator';
import { isCalendarDate } from '../../patients/shared/dto/patient-rules';

/** The code systems the record accepts, with the shape of a code in each (no terminology server runs offline). */
export const CODE_SYSTEMS = {
  'http://snomed.info/sct': { name: 'SNOMED CT', code: /^\d{6,18}$/ },
  'http://www.nlm.nih.gov/research/umls/rxnorm': { name: 'RxNorm', code: /^\d{1,9}$/ },
  'http://hl7.org/fhir/sid/icd-10': { name: 'ICD-10', code: /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/ },
  'http://hl7.org/fhir/sid/icd-10-cm': { name: 'ICD-10-CM', code: /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/ },
  'http://loinc.org': { name: 'LOINC', code: /^\d{1,7}-\d$/ },
} as const;
export type CodeSystem = keyof typeof CODE_SYSTEMS;

export const SNOMED = 'http://snomed.info/sct';
/** SNOMED CT 716186003 "No known allergy": the statement that the patient has none, recorded as an allergy entry. */
export const NO_KNOWN_ALLERGY = { system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' } as const;
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** One of `systems`. */
export function IsCodeSystem(systems: readonly CodeSystem[]): PropertyDecorator {
  // Named, not quoted: the URIs are in the OpenAPI document, and an answer never repeats what was sent.
  const names = systems.map((system) => CODE_SYSTEMS[system].name).join(', ');
  return ValidateBy(
    { name: 'isCodeSystem', validator: { validate: (value: unknown) => typeof value === 'string' && (systems as readonly string[]).includes(value) } },
    { message: `system must be the URI of one of ${names}` },
  );
}

/** A code shaped as its sibling `system` writes them; an unknown system is reported on `system`. */
export function IsCodeOfSystem(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCodeOfSystem',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const system = CODE_SYSTEMS[(args?.object as { system?: string }).system as CodeSystem];
          return typeof value === 'string' && (!system || system.code.test(value));
        },
        defaultMessage: (args?: ValidationArguments) => {
          const system = CODE_SYSTEMS[(args?.object as { system?: string }).system as CodeSystem];
          return system ? `code is not a ${system.name} code` : 'code must be text';
        },
      },
    },
  );
}

/** Today or earlier (a date-only value, `YYYY-MM-DD`), as in the patient's own dates. */
export { IsCalendarDate, IsNotFutureDate, IsPresent, HasNoNullCharacter, ValidateInOrder } from '../../patients/shared/dto/patient-rules';

/** Not before the date in the sibling property `field` (both `YYYY-MM-DD`; a malformed one is reported elsewhere). */
export function IsNotBefore(field: string, message: string): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBefore',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown>)[field];
          return !isCalendarDate(value) || !isCalendarDate(other) || value >= other;
        },
      },
    },
    { message },
  );
}

// A clock a few minutes fast on a ward's device is not a measurement from the future.
const CLOCK_SKEW_MS = 5 * 60_000;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant written in ISO 8601 with its offset, not in the future; what is left out is the recording time. */
export function isPastInstant(value: unknown, now = Date.now()): boolean {
  if (typeof value !== 'string' || !DATE_TIME.test(value)) return false;
  const at = Date.parse(value);
  return Number.isFinite(at) && at <= now + CLOCK_SKEW_MS && new Date(at).getUTCFullYear() >= 1900;
}

export function IsPastInstant(message: string): PropertyDecorator {
  return ValidateBy({ name: 'isPastInstant', validator: { validate: (value: unknown) => isPastInstant(value) } }, { message });
}
