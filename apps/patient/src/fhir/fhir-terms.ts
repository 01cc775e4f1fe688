import type { CodeableConcept, Meta, Reference } from '@medplum/fhirtypes';
import type { CodedText } from '../clinical/dto/coded-text.dto';
import { FhirOutcomeException } from './fhir-input';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
export const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
/** Who recorded an entry: the user id of the auth service (no Practitioner resource is served). */
export const USER_ID_SYSTEM = 'urn:pm:user-id';
/** FHIR's way to say a required element's value is not known. */
export const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

// Typed Reference<never>: fits every element that may point at a Patient or a Practitioner.
export const patientReference = (patientId: string): Reference<never> => ({ reference: `Patient/${patientId}` });
export const userReference = (userId: string): Reference<never> => ({ identifier: { system: USER_ID_SYSTEM, value: userId } });
export const metaOf = (entry: { version: number; updatedAt: Date }, profile?: string): Meta => ({
  versionId: String(entry.version),
  lastUpdated: entry.updatedAt.toISOString(),
  ...(profile ? { profile: [profile] } : {}),
});
export const codeIn = (system: string, code: string): CodeableConcept => ({ coding: [{ system, code }] });

/** The record's text with its optional coding, as a CodeableConcept. */
export function conceptOf(coded: CodedText): CodeableConcept {
  const { coding, text } = coded;
  return { ...(coding ? { coding: [{ system: coding.system, code: coding.code, ...(coding.display ? { display: coding.display } : {}) }] } : {}), text };
}

/**
 * A CodeableConcept as the record's text and coding (one coding at most; text falls back on the
 * coding's display). What is not an object passes through, for the REST rules to name.
 */
export function codedTextOf(concept: unknown, element: string): unknown {
  if (typeof concept !== 'object' || concept === null) return concept;
  const { text, coding } = concept as CodeableConcept;
  if (coding !== undefined && (!Array.isArray(coding) || coding.length > 1)) {
    throw FhirOutcomeException.invalid({ [`${element}.coding`]: 'must hold one coding at most' });
  }
  const first = coding?.[0];
  return { text: text ?? first?.display, ...(first ? { coding: first } : {}) };
}

/** The first code of `concept` in `system`, else undefined. */
export function codeOf(concept: unknown, system: string): string | undefined {
  const codings = (concept as CodeableConcept | undefined)?.coding;
  return Array.isArray(codings) ? codings.find((coding) => coding?.system === system)?.code : undefined;
}

/** A patient reference (`Patient/{id}`, or the bare id in a search), as the id; undefined when it is not one. */
export function patientIdOf(reference: unknown): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const id = reference.startsWith('Patient/') ? reference.slice('Patient/'.length) : reference;
  return /^[0-9a-fA-F-]{36}$/.test(id) ? id.toLowerCase() : undefined;
}

/** The patient a posted resource is about (`subject` or `patient`), or a 400 naming the element. */
export function postedPatientId(reference: unknown, element: string): string {
  const id = patientIdOf((reference as Reference | undefined)?.reference);
  if (!id) throw FhirOutcomeException.invalid({ [element]: 'must reference the patient as Patient/{id}' });
  return id;
}
