import { FHIR_SURFACE, fhirResource } from './fhir-surface';
import { issueCodeForStatus, operationOutcome } from './operation-outcome';

describe('operationOutcome', () => {
  it.each([
    [400, 'invalid'],
    [401, 'login'],
    [403, 'forbidden'],
    [404, 'not-found'],
    [409, 'conflict'],
    [412, 'conflict'],
    [415, 'not-supported'],
    [429, 'throttled'],
    [503, 'transient'],
    [504, 'timeout'],
    [500, 'exception'],
  ])('calls status %i %s', (status, code) => {
    expect(issueCodeForStatus(status)).toBe(code);
  });

  it('names each field at fault in an issue of its own, with the problem code', () => {
    const outcome = operationOutcome(400, 'birthDate must be a date', { code: 'VALIDATION_FAILED', expressions: ['Patient.birthDate', 'Patient.name'] });
    expect(outcome.issue).toEqual([
      { severity: 'error', code: 'invalid', diagnostics: 'birthDate must be a date', details: { text: 'VALIDATION_FAILED' }, expression: ['Patient.birthDate'] },
      { severity: 'error', code: 'invalid', diagnostics: 'birthDate must be a date', details: { text: 'VALIDATION_FAILED' }, expression: ['Patient.name'] },
    ]);
  });

  it('is fatal for a server-side failure and has one issue without fields', () => {
    expect(operationOutcome(503, 'billing is unavailable')).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'transient', diagnostics: 'billing is unavailable' }],
    });
  });
});

describe('FHIR_SURFACE', () => {
  it('names each resource type once, each owned by one service', () => {
    const types = FHIR_SURFACE.map((resource) => resource.type);
    expect(new Set(types).size).toBe(types.length);
    expect(fhirResource('Appointment')?.service).toBe('appointment');
    expect(fhirResource('Observation')?.service).toBe('patient');
    expect(fhirResource('Encounter')).toBeUndefined();
  });
});
