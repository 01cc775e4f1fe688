import { FhirOutcomeException } from '../fhir/fhir-input';

/** The elements (or search parameters) a call's FhirOutcomeException names, sorted; fails the test when it does not throw one. */
export function refusedElements(call: () => unknown): string[] {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(FhirOutcomeException);
    return (error as FhirOutcomeException).outcome.issue.flatMap((issue) => issue.expression ?? []).sort();
  }
  throw new Error('expected a refusal');
}
