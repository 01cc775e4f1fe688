import type { Address, HumanName, Patient as FhirPatient } from '@medplum/fhirtypes';
import type { Patient } from '../patients/shared/patient.entity';
import { FhirOutcomeException, type FieldPaths, onlyKnownElements } from './fhir-input';
import { metaOf } from './fhir-terms';

/** The date the patient was registered here: no Patient element says it, so an extension of ours does. */
export const REGISTERED_DATE_EXTENSION = 'urn:pm:fhir:StructureDefinition/registered-date';

/** A patient record as a FHIR Patient: the name, email and address as the record writes them (text). */
export function toFhirPatient(patient: Patient): FhirPatient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    meta: metaOf(patient),
    extension: [{ url: REGISTERED_DATE_EXTENSION, valueDate: patient.registeredDate }],
    name: [{ text: patient.name }],
    telecom: [{ system: 'email', value: patient.email }],
    birthDate: patient.dateOfBirth,
    address: [{ text: patient.address }],
  };
}

/** Where a REST field of a patient came from in a FHIR Patient (for errors). */
export const PATIENT_PATHS: FieldPaths = (field) =>
  ({ name: 'Patient.name', email: 'Patient.telecom', address: 'Patient.address', dateOfBirth: 'Patient.birthDate', registeredDate: 'Patient.extension' })[field] ?? field;

const single = <T>(list: unknown, element: string): T | undefined => {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.length !== 1) throw FhirOutcomeException.invalid({ [element]: 'must hold exactly one entry' });
  return list[0] as T;
};

/** A HumanName as the record's one name: its text, else given names then family. */
function nameOf(name: HumanName | undefined): unknown {
  if (!name) return undefined;
  if (name.text !== undefined) return name.text;
  const parts = [...(Array.isArray(name.given) ? name.given : []), name.family].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** An Address as the record's one line of text: its text, else its lines, city, postal code and country. */
function addressOf(address: Address | undefined): unknown {
  if (!address) return undefined;
  if (address.text !== undefined) return address.text;
  const parts = [...(Array.isArray(address.line) ? address.line : []), address.city, address.postalCode, address.country].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * A posted FHIR Patient as the REST body of POST /patients (validated next by its rules): one
 * name, one email (telecom), one address, the birth date, and the registered date (our
 * extension; today when left out). What the record cannot keep is refused, naming it.
 */
export function patientBodyOf(resource: Record<string, unknown>, today: string): Record<string, unknown> {
  onlyKnownElements(resource, 'Patient', ['name', 'telecom', 'address', 'birthDate', 'extension']);
  const telecom = single<{ system?: unknown; value?: unknown }>(resource.telecom, 'Patient.telecom');
  if (telecom && telecom.system !== 'email') throw FhirOutcomeException.invalid({ 'Patient.telecom': 'must be the email (system email): no other contact is kept' });
  const extensions = Array.isArray(resource.extension) ? (resource.extension as { url?: unknown; valueDate?: unknown }[]) : [];
  if (resource.extension !== undefined && (extensions.length !== 1 || extensions[0]?.url !== REGISTERED_DATE_EXTENSION)) {
    throw FhirOutcomeException.invalid({ 'Patient.extension': `only ${REGISTERED_DATE_EXTENSION} (valueDate) is kept` });
  }
  return Object.fromEntries(
    Object.entries({
      name: nameOf(single<HumanName>(resource.name, 'Patient.name')),
      email: telecom?.value,
      address: addressOf(single<Address>(resource.address, 'Patient.address')),
      dateOfBirth: resource.birthDate,
      registeredDate: extensions[0]?.valueDate ?? today,
    }).filter(([, value]) => value !== undefined),
  );
}
