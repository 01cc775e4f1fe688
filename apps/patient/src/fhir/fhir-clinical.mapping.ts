import type { AllergyIntolerance, Condition, MedicationStatement, Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import { VITAL_SIGNS_PROFILE } from '@pm/fhir';
import type { ClinicalEntry } from '../clinical/clinical-entry';
import type { ClinicalKind } from '../clinical/clinical-kinds';
import type { CodedText } from '../clinical/dto/coded-text.dto';
import { BLOOD_PRESSURE, VITAL_SIGNS } from '../clinical/vital-signs';
import { FhirOutcomeException, type FieldPaths, onlyKnownElements } from './fhir-input';
import {
  ALLERGY_CLINICAL,
  ALLERGY_VERIFICATION,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  DATA_ABSENT_REASON,
  LOINC,
  OBSERVATION_CATEGORY,
  UCUM,
  codeIn,
  codeOf,
  codedTextOf,
  conceptOf,
  metaOf,
  patientReference,
  postedPatientId,
  userReference,
} from './fhir-terms';

export const FHIR_CLINICAL_TYPES = ['AllergyIntolerance', 'Condition', 'MedicationStatement', 'Observation'] as const;
export type FhirClinicalType = (typeof FHIR_CLINICAL_TYPES)[number];

type FhirClinicalResource = AllergyIntolerance | Condition | MedicationStatement | Observation;

/** How one kind of clinical entry is a FHIR resource, both ways, in one place. */
export interface FhirClinicalMapping {
  readonly type: FhirClinicalType;
  readonly kind: ClinicalKind;
  /** The entry as the resource (an entry marked entered-in-error reads back with that status). */
  toFhir(entry: ClinicalEntry): FhirClinicalResource;
  /** A posted resource as the patient it is about and the REST body it stands for (validated next, by the REST rules). */
  fromFhir(resource: Record<string, unknown>): { patientId: string; body: Record<string, unknown> };
  /** Where a REST field of the kind came from in the resource (for errors). */
  readonly paths: FieldPaths;
}

/** Drops what is absent, so the REST rules see an absent field as absent. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** A table of REST fields to FHIR elements; a nested field keeps its tail under its parent's element (`coding.code`). */
function pathsFrom(type: string, table: Record<string, string>): FieldPaths {
  return (field) => {
    const [head, ...tail] = field.split('.');
    const element = table[head] ?? head;
    const rest = tail.map((part) => (part === 'coding' ? 'coding[0]' : part)).join('.');
    return `${type}.${element}${rest ? `.${rest}` : ''}`;
  };
}

const first = <T>(list: unknown): T | undefined => (Array.isArray(list) ? (list[0] as T) : undefined);

const ALLERGY_PATHS = pathsFrom('AllergyIntolerance', {
  substance: 'code',
  reaction: 'reaction[0].manifestation[0].text',
  severity: 'reaction[0].severity',
  criticality: 'criticality',
  clinicalStatus: 'clinicalStatus',
  onset: 'onsetDateTime',
});

const allergyIntolerance: FhirClinicalMapping = {
  type: 'AllergyIntolerance',
  kind: 'allergies',
  paths: ALLERGY_PATHS,
  toFhir: (entry) => {
    const { substance, reaction, severity, criticality, onset } = entry.details as { substance: CodedText; reaction?: string; severity?: string; criticality?: string; onset?: string };
    // ait-2: an entry in error has no clinical status, only that verification.
    const status = entry.enteredInError
      ? { verificationStatus: codeIn(ALLERGY_VERIFICATION, 'entered-in-error') }
      : { clinicalStatus: codeIn(ALLERGY_CLINICAL, entry.status) };
    // A reaction needs a manifestation: a severity recorded without one says it is unknown.
    const manifestation = reaction ? [{ text: reaction }] : [{ extension: [{ url: DATA_ABSENT_REASON, valueCode: 'unknown' }] }];
    return {
      resourceType: 'AllergyIntolerance',
      id: entry.id,
      meta: metaOf(entry),
      ...status,
      ...(criticality ? { criticality: criticality as AllergyIntolerance['criticality'] } : {}),
      code: conceptOf(substance),
      patient: patientReference(entry.patientId),
      ...(onset ? { onsetDateTime: onset } : {}),
      recordedDate: entry.recordedAt.toISOString(),
      recorder: userReference(entry.recordedBy),
      ...(reaction || severity ? { reaction: [{ manifestation, ...(severity ? { severity: severity as 'mild' } : {}) }] } : {}),
    };
  },
  fromFhir: (resource) => {
    onlyKnownElements(resource, 'AllergyIntolerance', ['clinicalStatus', 'verificationStatus', 'criticality', 'code', 'patient', 'onsetDateTime', 'recordedDate', 'recorder', 'reaction']);
    const reaction = first<{ manifestation?: unknown; severity?: unknown }>(resource.reaction);
    return {
      patientId: postedPatientId(resource.patient, 'AllergyIntolerance.patient'),
      body: defined({
        substance: codedTextOf(resource.code, 'AllergyIntolerance.code'),
        reaction: first<{ text?: unknown }>(reaction?.manifestation)?.text,
        severity: reaction?.severity,
        criticality: resource.criticality,
        clinicalStatus: statusOf(resource.clinicalStatus, ALLERGY_CLINICAL, 'AllergyIntolerance.clinicalStatus'),
        onset: resource.onsetDateTime,
      }),
    };
  },
};

/** The code of a status CodeableConcept in its code system; absent passes (the REST default applies). */
function statusOf(concept: unknown, system: string, element: string): string | undefined {
  if (concept === undefined) return undefined;
  const code = codeOf(concept, system);
  if (!code) throw FhirOutcomeException.invalid({ [element]: `must have a coding in ${system}` });
  return code;
}

const condition: FhirClinicalMapping = {
  type: 'Condition',
  kind: 'conditions',
  paths: pathsFrom('Condition', { condition: 'code', clinicalStatus: 'clinicalStatus', onset: 'onsetDateTime', abatement: 'abatementDateTime' }),
  toFhir: (entry) => {
    const { condition: code, onset, abatement } = entry.details as { condition: CodedText; onset?: string; abatement?: string };
    // con-5: an entry in error has no clinical status, only that verification.
    const status = entry.enteredInError
      ? { verificationStatus: codeIn(CONDITION_VERIFICATION, 'entered-in-error') }
      : { clinicalStatus: codeIn(CONDITION_CLINICAL, entry.status) };
    return {
      resourceType: 'Condition',
      id: entry.id,
      meta: metaOf(entry),
      ...status,
      category: [codeIn(CONDITION_CATEGORY, 'problem-list-item')],
      code: conceptOf(code),
      subject: patientReference(entry.patientId),
      ...(onset ? { onsetDateTime: onset } : {}),
      ...(abatement ? { abatementDateTime: abatement } : {}),
      recordedDate: entry.recordedAt.toISOString(),
      recorder: userReference(entry.recordedBy),
    };
  },
  fromFhir: (resource) => {
    onlyKnownElements(resource, 'Condition', ['clinicalStatus', 'verificationStatus', 'category', 'code', 'subject', 'onsetDateTime', 'abatementDateTime', 'recordedDate', 'recorder']);
    return {
      patientId: postedPatientId(resource.subject, 'Condition.subject'),
      body: defined({
        condition: codedTextOf(resource.code, 'Condition.code'),
        clinicalStatus: statusOf(resource.clinicalStatus, CONDITION_CLINICAL, 'Condition.clinicalStatus'),
        onset: resource.onsetDateTime,
        abatement: resource.abatementDateTime,
      }),
    };
  },
};

const medicationStatement: FhirClinicalMapping = {
  type: 'MedicationStatement',
  kind: 'medications',
  paths: pathsFrom('MedicationStatement', {
    medication: 'medicationCodeableConcept',
    dose: 'dosage[0].text',
    route: 'dosage[0].route.text',
    frequency: 'dosage[0].timing.code.text',
    status: 'status',
    start: 'effectivePeriod.start',
    end: 'effectivePeriod.end',
  }),
  toFhir: (entry) => {
    const { medication, dose, route, frequency, start, end } = entry.details as Record<string, string | undefined> & { medication: CodedText };
    const dosage = defined({ text: dose, route: route ? { text: route } : undefined, timing: frequency ? { code: { text: frequency } } : undefined });
    return {
      resourceType: 'MedicationStatement',
      id: entry.id,
      meta: metaOf(entry),
      status: (entry.enteredInError ? 'entered-in-error' : entry.status) as MedicationStatement['status'],
      medicationCodeableConcept: conceptOf(medication),
      subject: patientReference(entry.patientId),
      ...(start || end ? { effectivePeriod: defined({ start, end }) } : {}),
      dateAsserted: entry.recordedAt.toISOString(),
      informationSource: userReference(entry.recordedBy),
      ...(Object.keys(dosage).length ? { dosage: [dosage] } : {}),
    };
  },
  fromFhir: (resource) => {
    onlyKnownElements(resource, 'MedicationStatement', ['status', 'medicationCodeableConcept', 'subject', 'effectivePeriod', 'dateAsserted', 'informationSource', 'dosage']);
    if (resource.status === undefined) throw FhirOutcomeException.invalid({ 'MedicationStatement.status': 'is required (active, completed or stopped)' });
    const dosage = first<{ text?: unknown; route?: { text?: unknown }; timing?: { code?: { text?: unknown } } }>(resource.dosage);
    const period = resource.effectivePeriod as { start?: unknown; end?: unknown } | undefined;
    return {
      patientId: postedPatientId(resource.subject, 'MedicationStatement.subject'),
      body: defined({
        medication: codedTextOf(resource.medicationCodeableConcept, 'MedicationStatement.medicationCodeableConcept'),
        dose: dosage?.text,
        route: dosage?.route?.text,
        frequency: dosage?.timing?.code?.text,
        status: resource.status,
        start: period?.start,
        end: period?.end,
      }),
    };
  },
};

const quantity = (value: number, unit: string): Quantity => ({ value, unit, system: UCUM, code: unit });
const VITAL_SIGNS_CATEGORY = { coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' };

/** A Quantity's value and UCUM unit (its `code`, else its `unit`); another system is a 400 naming it. */
function valueAndUnit(value: unknown, element: string): { value?: unknown; unit?: unknown } {
  if (value === undefined) return {};
  const { value: number, unit, code, system } = value as Quantity;
  if (system !== undefined && system !== UCUM) throw FhirOutcomeException.invalid({ [`${element}.system`]: `must be ${UCUM} (UCUM)` });
  return { value: number, unit: code ?? unit };
}

const observation: FhirClinicalMapping = {
  type: 'Observation',
  kind: 'vitals',
  paths: pathsFrom('Observation', {
    code: 'code',
    value: 'valueQuantity.value',
    systolic: 'component[0].valueQuantity.value',
    diastolic: 'component[1].valueQuantity.value',
    unit: 'valueQuantity.code',
    takenAt: 'effectiveDateTime',
  }),
  toFhir: (entry) => {
    const vital = VITAL_SIGNS[entry.code!];
    const { value, systolic, diastolic } = entry.details as { value?: number; systolic?: number; diastolic?: number };
    const components: ObservationComponent[] = vital.components
      ? [
          { code: { coding: [{ system: LOINC, code: vital.components.systolic.code, display: vital.components.systolic.display }] }, valueQuantity: quantity(systolic!, vital.unit) },
          { code: { coding: [{ system: LOINC, code: vital.components.diastolic.code, display: vital.components.diastolic.display }] }, valueQuantity: quantity(diastolic!, vital.unit) },
        ]
      : [];
    return {
      resourceType: 'Observation',
      id: entry.id,
      meta: metaOf(entry, VITAL_SIGNS_PROFILE),
      status: entry.enteredInError ? 'entered-in-error' : 'final',
      category: [VITAL_SIGNS_CATEGORY],
      code: { coding: [{ system: LOINC, code: vital.code, display: vital.display }], text: vital.display },
      subject: patientReference(entry.patientId),
      effectiveDateTime: entry.effectiveAt.toISOString(),
      issued: entry.recordedAt.toISOString(),
      performer: [userReference(entry.recordedBy)],
      ...(vital.components ? { component: components } : { valueQuantity: quantity(value!, vital.unit) }),
    };
  },
  fromFhir: (resource) => {
    onlyKnownElements(resource, 'Observation', ['status', 'category', 'code', 'subject', 'effectiveDateTime', 'issued', 'performer', 'valueQuantity', 'component']);
    if (resource.status !== undefined && resource.status !== 'final') throw FhirOutcomeException.invalid({ 'Observation.status': 'must be final' });
    const categories = Array.isArray(resource.category) ? resource.category : [];
    if (resource.category !== undefined && !categories.some((category) => codeOf(category, OBSERVATION_CATEGORY) === 'vital-signs')) {
      throw FhirOutcomeException.invalid({ 'Observation.category': 'must include vital-signs (only vital signs are recorded)' });
    }
    const code = codeOf(resource.code, LOINC);
    if (!code) throw FhirOutcomeException.invalid({ 'Observation.code': `must have a LOINC coding (${LOINC})` });
    const bloodPressure = code === BLOOD_PRESSURE;
    const part = (loinc: string) => (Array.isArray(resource.component) ? (resource.component as ObservationComponent[]) : []).find((component) => codeOf(component?.code, LOINC) === loinc);
    const components = bloodPressure ? VITAL_SIGNS[BLOOD_PRESSURE].components! : undefined;
    const systolic = components ? valueAndUnit(part(components.systolic.code)?.valueQuantity, 'Observation.component[0].valueQuantity') : {};
    const diastolic = components ? valueAndUnit(part(components.diastolic.code)?.valueQuantity, 'Observation.component[1].valueQuantity') : {};
    if (bloodPressure && systolic.unit !== undefined && diastolic.unit !== undefined && systolic.unit !== diastolic.unit) {
      throw FhirOutcomeException.invalid({ 'Observation.component[1].valueQuantity.code': 'must be the unit of the systolic component' });
    }
    const single = valueAndUnit(resource.valueQuantity, 'Observation.valueQuantity');
    return {
      patientId: postedPatientId(resource.subject, 'Observation.subject'),
      body: defined({
        code,
        value: single.value,
        systolic: systolic.value,
        diastolic: diastolic.value,
        unit: bloodPressure ? (systolic.unit ?? diastolic.unit) : single.unit,
        takenAt: resource.effectiveDateTime,
      }),
    };
  },
};

export const FHIR_CLINICAL_MAPPINGS: Readonly<Record<FhirClinicalType, FhirClinicalMapping>> = {
  AllergyIntolerance: allergyIntolerance,
  Condition: condition,
  MedicationStatement: medicationStatement,
  Observation: observation,
};

