import { type Role, visibleFields } from '@pm/auth-tokens';
import { PatientContactResponse, PatientResponse } from './dto/patient.response';
import type { Patient } from './patient.entity';

/**
 * What each role may see of a patient is the access policy's (`fields` of GET /patients/{id}):
 * the whole record for a role it does not narrow, the contact details (id, name, email, address)
 * for BILLING, and the least for a role that may not read patients at all, so a role added later
 * sees the least until someone decides otherwise.
 */
export function seesWholeRecord(role: Role): boolean {
  return visibleFields('GET /patients/{id}', role) === undefined;
}

/** A patient as the caller's role may see it. */
export function patientViewFor(role: Role, patient: Patient): PatientResponse | PatientContactResponse {
  return seesWholeRecord(role) ? PatientResponse.from(patient) : PatientContactResponse.from(patient);
}

