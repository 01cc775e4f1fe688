import { FhirOutcomeException } from './fhir-input';
import { REGISTERED_DATE_EXTENSION, patientBodyOf } from './fhir-patient.mapping';

const TODAY = '2026-12-03';

describe('patientBodyOf', () => {
  it('takes the name as text, else given names then family; the address as text, else its parts', () => {
    expect(patientBodyOf({ name: [{ text: 'Ada King', given: ['x'] }], address: [{ text: '1 Road' }] }, TODAY)).toEqual({ name: 'Ada King', address: '1 Road', registeredDate: TODAY });
    expect(patientBodyOf({ name: [{ given: ['Ada', 'Augusta'], family: 'King' }], address: [{ line: ['1 Road'], city: 'Ockham', postalCode: 'GU23', country: 'UK' }] }, TODAY)).toMatchObject({
      name: 'Ada Augusta King',
      address: '1 Road, Ockham, GU23, UK',
    });
    expect(patientBodyOf({ name: [{ family: 'King' }], address: [{}] }, TODAY)).toEqual({ name: 'King', registeredDate: TODAY });
    expect(patientBodyOf({ name: [{}] }, TODAY)).toEqual({ registeredDate: TODAY });
  });

  it('takes the registered date from our extension', () => {
    expect(patientBodyOf({ extension: [{ url: REGISTERED_DATE_EXTENSION, valueDate: '2024-01-10' }] }, TODAY)).toEqual({ registeredDate: '2024-01-10' });
  });

  it.each([
    [{ telecom: [{ system: 'phone', value: '555' }] }, 'Patient.telecom'],
    [{ telecom: 'a@b.c' }, 'Patient.telecom'],
    [{ name: [] }, 'Patient.name'],
    [{ extension: {} }, 'Patient.extension'],
    [{ extension: [{ url: REGISTERED_DATE_EXTENSION }, { url: REGISTERED_DATE_EXTENSION }] }, 'Patient.extension'],
    [{ photo: [] }, 'Patient.photo'],
  ])('refuses %j naming %s', (resource, element) => {
    try {
      patientBodyOf(resource, TODAY);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(FhirOutcomeException);
      expect((error as FhirOutcomeException).outcome.issue[0].expression).toEqual([element]);
    }
  });
});
