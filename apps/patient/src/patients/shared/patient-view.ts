import type { Role } from '@pm/auth-tokens';
import { PatientContactResponse, PatientResponse } from './dto/patient.response';
import type { Patient, PatientSortField } from './patient.entity';

/**
 * What each role may see of a patient (contract): the whole record for the clinical roles and
 * ADMIN, the contact details (id, name, email, address) for everyone else — so a role added
 * later sees the least until someone decides otherwise.
 */
const WHOLE_RECORD_ROLES: readonly Role[] = ['ADMIN', 'DOCTOR', 'NURSE'];
export const CONTACT_FIELDS: readonly PatientSortField[] = ['name', 'email', 'address'];

export function seesWholeRecord(role: Role): boolean {
  return WHOLE_RECORD_ROLES.includes(role);
}

/** A patient as the caller's role may see it. */
export function patientViewFor(role: Role, patient: Patient): PatientResponse | PatientContactResponse {
  return seesWholeRecord(role) ? PatientResponse.from(patient) : PatientContactResponse.from(patient);
}
