import { DomainError } from '@pm/platform';

/** `$everything` could not include the patient's Appointments: the appointment service is unreachable or failed. */
export class FhirAppointmentsUnavailableError extends DomainError {
  static readonly spec = {
    code: 'FHIR_APPOINTMENTS_UNAVAILABLE',
    status: 503,
    description: "The appointment service is unreachable or failed, so $everything cannot include the patient's Appointments",
  };
}

/** `$everything` could not include the patient's Appointments in time (APPOINTMENT_SERVICE_DEADLINE_MS). */
export class FhirAppointmentsTimeoutError extends DomainError {
  static readonly spec = {
    code: 'FHIR_APPOINTMENTS_TIMEOUT',
    status: 504,
    description: "The appointment service did not answer in time, so $everything cannot include the patient's Appointments",
    detail: "The appointment service did not answer in time; the patient's Appointments could not be included",
  };
}

/** Every error of the FHIR feature, for the catalogue test. */
export const FhirPatientErrors = {
  AppointmentsUnavailable: FhirAppointmentsUnavailableError,
  AppointmentsTimeout: FhirAppointmentsTimeoutError,
};
