import { expectValidFhir, fhirSchemaErrors } from './fhir-schema';

describe('fhirSchemaErrors (FHIR R4 JSON schema)', () => {
  it('accepts a valid Patient and a Bundle of valid resources', () => {
    const patient = { resourceType: 'Patient', id: 'a1', name: [{ text: 'Ada Lovelace' }], birthDate: '1815-12-10' };
    expectValidFhir(patient);
    expectValidFhir({ resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ fullUrl: 'https://h/fhir/R4/Patient/a1', resource: patient }] });
  });

  it('names what is wrong: a bad birth date, an unknown element', () => {
    expect(fhirSchemaErrors({ resourceType: 'Patient', birthDate: '10/12/1815' })).toEqual([expect.stringContaining('/birthDate')]);
    expect(fhirSchemaErrors({ resourceType: 'Patient', shoeSize: 42 })).toEqual([expect.stringContaining('additionalProperty')]);
  });

  it('checks the resources inside a Bundle against their own type', () => {
    const errors = fhirSchemaErrors({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Observation', status: 'bogus' } }] });
    expect(errors.some((error) => error.startsWith('entry[0].resource /status'))).toBe(true);
  });

  it('refuses what is not a resource or a type R4 does not define', () => {
    expect(fhirSchemaErrors({})).toEqual(['resourceType is missing']);
    expect(() => fhirSchemaErrors({ resourceType: 'Spaceship' })).toThrow('defines no Spaceship');
  });
});
