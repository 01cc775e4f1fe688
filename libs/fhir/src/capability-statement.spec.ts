import { capabilityStatement } from './capability-statement';
import { FHIR_SURFACE, VITAL_SIGNS_PROFILE, isFhirPath } from './fhir-surface';

describe('capabilityStatement', () => {
  const date = new Date('2026-12-03T10:00:00Z');

  it('is an R4 server statement in JSON whose security names bearer tokens', () => {
    const statement = capabilityStatement({ date });
    expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', date: '2026-12-03T10:00:00.000Z' });
    expect(statement.format).toEqual(['json', 'application/fhir+json']);
    expect(statement.rest[0].mode).toBe('server');
    expect(statement.rest[0].security.service[0].coding[0].code).toBe('OAuth');
    expect(statement.rest[0].security.description).toContain('Bearer');
    expect(statement.implementation).not.toHaveProperty('url');
  });

  it('lists each resource of the surface, in order, with its interactions and documented search parameters', () => {
    const resources = capabilityStatement({ date }).rest[0].resource;
    expect(resources.map((resource) => resource.type)).toEqual(FHIR_SURFACE.map((resource) => resource.type));
    const observation = resources.find((resource) => resource.type === 'Observation')!;
    expect(observation.supportedProfile).toEqual([VITAL_SIGNS_PROFILE]);
    expect(observation.interaction).toEqual([{ code: 'read' }, { code: 'search-type' }, { code: 'create' }]);
    expect(observation.searchParam.every((param) => param.documentation.length > 0)).toBe(true);
    expect(resources.find((resource) => resource.type === 'Patient')!.operation).toEqual([
      { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
    ]);
  });

  it('leaves out what a resource does not have, and names the endpoint when its URL is known', () => {
    const statement = capabilityStatement(
      { date, baseUrl: 'https://ehr.example.org/fhir/R4' },
      [{ type: 'Appointment', service: 'appointment', interactions: ['read'], searchParams: [], operations: [], supportedProfiles: [] }],
    );
    expect(statement.implementation.url).toBe('https://ehr.example.org/fhir/R4');
    expect(statement.rest[0].resource).toEqual([{ type: 'Appointment', interaction: [{ code: 'read' }], searchParam: [] }]);
  });
});

describe('isFhirPath', () => {
  it.each([
    ['/fhir', true],
    ['/fhir/R4/Patient?name=x', true],
    ['/FHIR/r4/metadata', true],
    ['/fhirx', false],
    ['/api/fhir/R4', false],
    ['/?x=/fhir/', false],
  ])('%s: %s', (url, expected) => {
    expect(isFhirPath(url)).toBe(expected);
  });
});
