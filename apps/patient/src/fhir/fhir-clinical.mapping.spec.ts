import { expectValidFhir } from '@pm/testing';
import type { ClinicalEntry } from '../clinical/clinical-entry';
import { FHIR_CLINICAL_MAPPINGS } from './fhir-clinical.mapping';
import { refusedElements as refused } from '../testing/fhir-refusals';

const PATIENT = '0b6f3f4e-5a55-4c3c-9c69-2f0a7d1e9a11';
const at = new Date('2026-11-30T09:30:00Z');

function entry(kind: ClinicalEntry['kind'], details: Record<string, unknown>, overrides: Partial<ClinicalEntry> = {}): ClinicalEntry {
  return {
    id: '5f1c1d8e-2f0b-4a7e-9d0e-3c7c2b1a0f00',
    patientId: PATIENT,
    kind,
    status: kind === 'vitals' ? 'final' : 'active',
    code: null,
    effectiveAt: at,
    details,
    version: 2,
    recordedBy: 'u-1',
    recordedAt: at,
    updatedBy: 'u-1',
    updatedAt: at,
    enteredInError: null,
    ...overrides,
  };
}

const inError = { enteredInError: { at, by: 'u-2', reason: 'wrong patient' } };

describe('FHIR clinical mappings', () => {
  const { AllergyIntolerance, Condition, MedicationStatement, Observation } = FHIR_CLINICAL_MAPPINGS;

  describe('AllergyIntolerance', () => {
    it('says a severity recorded without a reaction has an unknown manifestation, and leaves out what is absent', () => {
      const resource = AllergyIntolerance.toFhir(entry('allergies', { substance: { text: 'Latex' }, severity: 'mild' })) as unknown as Record<string, unknown>;
      expectValidFhir(resource);
      expect(resource.reaction).toEqual([{ manifestation: [{ extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] }], severity: 'mild' }]);
      expect(resource).not.toHaveProperty('criticality');
      expect(resource).not.toHaveProperty('onsetDateTime');
      expect(resource.code).toEqual({ text: 'Latex' });
      expect(resource.meta).toEqual({ versionId: '2', lastUpdated: at.toISOString() });
    });

    it('gives an entry in error that verification status and no clinical status (ait-2)', () => {
      const resource = AllergyIntolerance.toFhir(entry('allergies', { substance: { text: 'Latex' } }, inError)) as unknown as Record<string, unknown>;
      expect(resource.clinicalStatus).toBeUndefined();
      expect(resource.verificationStatus).toEqual({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'entered-in-error' }] });
      expect(resource).not.toHaveProperty('reaction');
    });

    it("takes a coding's display as the text when the text is left out, and passes what is not an object to the REST rules", () => {
      const coding = { system: 'http://snomed.info/sct', code: '111088007', display: 'Latex' };
      const { body } = AllergyIntolerance.fromFhir({ resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${PATIENT}` }, code: { coding: [coding] } });
      expect(body).toEqual({ substance: { text: 'Latex', coding } });
      expect(AllergyIntolerance.fromFhir({ resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${PATIENT}` }, code: 'latex' }).body).toEqual({ substance: 'latex' });
    });

    it('names the element at fault: a status outside its code system, several codings, a patient that is no reference', () => {
      const base = { resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${PATIENT}` }, code: { text: 'x' } };
      expect(refused(() => AllergyIntolerance.fromFhir({ ...base, clinicalStatus: { text: 'active' } }))).toEqual(['AllergyIntolerance.clinicalStatus']);
      expect(refused(() => AllergyIntolerance.fromFhir({ ...base, code: { coding: {} } }))).toEqual(['AllergyIntolerance.code.coding']);
      expect(refused(() => AllergyIntolerance.fromFhir({ ...base, patient: { reference: 'Group/1' } }))).toEqual(['AllergyIntolerance.patient']);
      expect(refused(() => AllergyIntolerance.fromFhir({ ...base, patient: 'Patient/1' }))).toEqual(['AllergyIntolerance.patient']);
    });

    it('translates REST fields to FHIR elements, nested ones under their element', () => {
      expect(AllergyIntolerance.paths('substance.coding.code')).toBe('AllergyIntolerance.code.coding[0].code');
      expect(AllergyIntolerance.paths('onset')).toBe('AllergyIntolerance.onsetDateTime');
      expect(AllergyIntolerance.paths('mystery')).toBe('AllergyIntolerance.mystery');
    });
  });

  it('Condition: the problem list item, its abatement, and an entry in error without clinical status (con-5)', () => {
    const condition = Condition.toFhir(entry('conditions', { condition: { text: 'Asthma' }, onset: '2020-01-01', abatement: '2021-01-01' }, { status: 'resolved' })) as unknown as Record<string, unknown>;
    expectValidFhir(condition);
    expect(condition).toMatchObject({ clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: '2021-01-01', category: [{ coding: [{ code: 'problem-list-item' }] }] });
    const wrong = Condition.toFhir(entry('conditions', { condition: { text: 'Asthma' } }, inError)) as unknown as Record<string, unknown>;
    expect(wrong.clinicalStatus).toBeUndefined();
    expect(wrong.verificationStatus).toMatchObject({ coding: [{ code: 'entered-in-error' }] });
  });

  it('MedicationStatement: dosage only with what was recorded, status entered-in-error for an entry in error', () => {
    const bare = MedicationStatement.toFhir(entry('medications', { medication: { text: 'Aspirin' } })) as unknown as Record<string, unknown>;
    expectValidFhir(bare);
    expect(bare).not.toHaveProperty('dosage');
    expect(bare).not.toHaveProperty('effectivePeriod');
    const ended = MedicationStatement.toFhir(entry('medications', { medication: { text: 'Aspirin' }, route: 'oral', end: '2026-01-01' }, inError)) as unknown as Record<string, unknown>;
    expect(ended).toMatchObject({ status: 'entered-in-error', dosage: [{ route: { text: 'oral' } }], effectivePeriod: { end: '2026-01-01' } });
    expect(MedicationStatement.fromFhir({ resourceType: 'MedicationStatement', status: 'active', subject: { reference: PATIENT }, medicationCodeableConcept: { text: 'Aspirin' } }).body).toEqual({
      medication: { text: 'Aspirin' },
      status: 'active',
    });
  });

  describe('Observation', () => {
    it('reads back in error with that status, and reads a unit given as `unit` only', () => {
      const observation = Observation.toFhir(entry('vitals', { value: 60 }, { code: '8867-4', ...inError })) as unknown as Record<string, unknown>;
      expect(observation.status).toBe('entered-in-error');
      const { body } = Observation.fromFhir({
        resourceType: 'Observation',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject: { reference: `Patient/${PATIENT}` },
        valueQuantity: { value: 60, unit: '/min' },
        effectiveDateTime: '2026-11-30T09:30:00Z',
      });
      expect(body).toEqual({ code: '8867-4', value: 60, unit: '/min', takenAt: '2026-11-30T09:30:00Z' });
    });

    it('takes blood pressure from its components, whichever order they come in', () => {
      const component = (code: string, value: number) => ({ code: { coding: [{ system: 'http://loinc.org', code }] }, valueQuantity: { value, code: 'mm[Hg]' } });
      const { body } = Observation.fromFhir({
        resourceType: 'Observation',
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        subject: { reference: `Patient/${PATIENT}` },
        component: [component('8462-4', 80), component('8480-6', 120)],
        effectiveDateTime: '2026-11-30T09:30:00Z',
      });
      expect(body).toMatchObject({ systolic: 120, diastolic: 80, unit: 'mm[Hg]' });
    });
  });
});
