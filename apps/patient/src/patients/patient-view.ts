import type { Role } from '@pm/auth-tokens';
import { SortablePatientFields } from './dto/list-patients.query';
import { PatientContactResponse, PatientResponse } from './dto/patient.response';
import type { Patient, PatientSortField } from './patient.entity';

/**
 * What each role may see of a patient (contract): the whole record for the clinical roles and
 * ADMIN, the contact details (id, name, email, address) for everyone else — so a role added
 * later sees the least until someone decides otherwise.
 */
const WHOLE_RECORD_ROLES: readonly Role[] = ['ADMIN', 'DOCTOR', 'NURSE'];
const CONTACT_FIELDS: readonly PatientSortField[] = ['name', 'email', 'address'];

export function seesWholeRecord(role: Role): boolean {
  return WHOLE_RECORD_ROLES.includes(role);
}

/** A patient as the caller's role may see it. */
export function patientViewFor(role: Role, patient: Patient): PatientResponse | PatientContactResponse {
  return seesWholeRecord(role) ? PatientResponse.from(patient) : PatientContactResponse.from(patient);
}

/**
 * A role that may not see a field may not sort by it either (the order of a page sorted by birth
 * date tells the birth dates apart), and nobody sorts by an encrypted field.
 */
export function sortableFieldsFor(role: Role): readonly PatientSortField[] {
  return seesWholeRecord(role) ? SortablePatientFields : SortablePatientFields.filter((field) => CONTACT_FIELDS.includes(field));
}
