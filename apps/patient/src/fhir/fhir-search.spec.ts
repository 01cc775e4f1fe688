import { refusedElements as refusedParams } from '../testing/fhir-refusals';
import { parseClinicalSearch, parsePatientSearch } from './fhir-search';

const PATIENT = '0b6f3f4e-5a55-4c3c-9c69-2f0a7d1e9a11';

describe('parsePatientSearch', () => {
  it('reads name, birthdate and email, with the default page, ignoring _format', () => {
    expect(parsePatientSearch({ name: ' Ada ', birthdate: '1815-12-10', email: 'a@b.c', _format: 'json' })).toEqual({
      name: 'Ada',
      birthDate: '1815-12-10',
      email: 'a@b.c',
      offset: 0,
      size: 20,
    });
    expect(parsePatientSearch({ name: '', _count: '100', _offset: '0' })).toEqual({ name: undefined, email: undefined, birthDate: undefined, offset: 0, size: 100 });
  });

  it('names every bad parameter: a date that is a range or not a day, a repeat, too long, an unknown one, a bad page', () => {
    expect(refusedParams(() => parsePatientSearch({ birthdate: 'ge1980-01-01', name: ['a', 'b'], email: 'x'.repeat(256), family: 'King', _count: '101', _offset: '-1' }))).toEqual([
      '_count',
      '_offset',
      'birthdate',
      'email',
      'family',
      'name',
    ]);
    expect(refusedParams(() => parsePatientSearch({ birthdate: '1980-02-30' }))).toEqual(['birthdate']);
  });
});

describe('parseClinicalSearch', () => {
  it('reads the patient as a reference or a bare id, and an Observation code with or without its system', () => {
    expect(parseClinicalSearch({ patient: `Patient/${PATIENT}` }, { observation: false })).toEqual({ patientId: PATIENT, offset: 0, size: 20 });
    expect(parseClinicalSearch({ patient: PATIENT.toUpperCase(), category: 'vital-signs', code: 'http://loinc.org|8867-4', _offset: '40' }, { observation: true })).toEqual({
      patientId: PATIENT,
      code: '8867-4',
      offset: 40,
      size: 20,
    });
    expect(parseClinicalSearch({ patient: PATIENT, category: 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs', code: '8310-5' }, { observation: true })).toMatchObject({
      code: '8310-5',
    });
  });

  it('requires the patient, and refuses what only Observation takes elsewhere', () => {
    expect(refusedParams(() => parseClinicalSearch({}, { observation: false }))).toEqual(['patient']);
    expect(refusedParams(() => parseClinicalSearch({ patient: 'Patient/42' }, { observation: false }))).toEqual(['patient']);
    expect(refusedParams(() => parseClinicalSearch({ patient: PATIENT, code: '8867-4' }, { observation: false }))).toEqual(['code']);
    expect(refusedParams(() => parseClinicalSearch({ patient: PATIENT, category: 'laboratory', code: '8867-4,8310-5' }, { observation: true }))).toEqual(['category', 'code']);
  });
});
