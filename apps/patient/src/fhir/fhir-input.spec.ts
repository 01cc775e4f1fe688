import { ProblemException } from '@pm/platform';
import { CreatePatientDto } from '../patients/shared/dto/patient-body.dto';
import { PatientEmailTakenError, PatientLikelyDuplicateError } from '../patients/shared/patient.errors';
import { FhirOutcomeException, inFhirTerms, resourceOf, validatedAs, withFhirPaths } from './fhir-input';
import { PATIENT_PATHS } from './fhir-patient.mapping';

async function outcomeOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FhirOutcomeException);
  return { status: (error as FhirOutcomeException).getStatus(), outcome: (error as FhirOutcomeException).outcome };
}

describe('FHIR input', () => {
  it('validates with the REST rules and names the FHIR element of each bad field', async () => {
    const { status, outcome } = await outcomeOf(validatedAs(CreatePatientDto, { name: 'Ada', email: 'nope', address: 'x', dateOfBirth: '1815-12-10' }, PATIENT_PATHS));
    expect(status).toBe(400);
    expect(outcome.issue.flatMap((issue) => issue.expression).sort()).toEqual(['Patient.extension', 'Patient.telecom']);
    expect(outcome.issue[0].diagnostics).toContain('Patient.telecom: Email should be valid');
    await expect(validatedAs(CreatePatientDto, { name: 'Ada', email: 'a@b.co', address: 'x', dateOfBirth: '1815-12-10', registeredDate: '2024-01-01' }, PATIENT_PATHS)).resolves.toBeInstanceOf(CreatePatientDto);
  });

  it("renames a rule's field errors (a 409 naming email) and keeps its code and detail", async () => {
    const { status, outcome } = await outcomeOf(withFhirPaths(PATIENT_PATHS, () => Promise.reject(new PatientEmailTakenError())));
    expect(status).toBe(409);
    expect(outcome.issue[0]).toMatchObject({ code: 'conflict', expression: ['Patient.telecom'], details: { text: 'PATIENT_EMAIL_TAKEN' }, diagnostics: 'A patient with this email already exists' });
  });

  it('renames a plain problem exception naming a query parameter, and lets everything else through unchanged', async () => {
    const query = ProblemException.badRequest('bad', { confirmDuplicate: 'confirmDuplicate must be true or false' });
    expect((await outcomeOf(withFhirPaths(PATIENT_PATHS, () => Promise.reject(query)))).outcome.issue[0].expression).toEqual(['confirmDuplicate']);
    const duplicate = new PatientLikelyDuplicateError(['x']);
    await expect(withFhirPaths(PATIENT_PATHS, () => Promise.reject(duplicate))).rejects.toBe(duplicate);
    const plain = new Error('boom');
    expect(() => inFhirTerms(plain, PATIENT_PATHS)).toThrow(plain);
    await expect(withFhirPaths(PATIENT_PATHS, () => Promise.resolve(7))).resolves.toBe(7);
  });

  it('takes a body as a resource of its type only', () => {
    expect(resourceOf({ resourceType: 'Patient' }, 'Patient')).toEqual({ resourceType: 'Patient' });
    for (const body of [null, 'Patient', [], { resourceType: 'Person' }]) expect(() => resourceOf(body, 'Patient')).toThrow(FhirOutcomeException);
  });
});
