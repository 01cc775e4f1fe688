import { FieldError } from '@pm/platform';

/** A search parameter that is missing, malformed or not served; `field` names the parameter. */
export class InvalidFhirSearchError extends FieldError {
  static readonly spec = { code: 'APPOINTMENT_FHIR_SEARCH_INVALID', status: 400, description: 'A search parameter is missing, malformed or not served; errors names it' };
}

export const FhirAppointmentErrors = { InvalidSearch: InvalidFhirSearchError } as const;
