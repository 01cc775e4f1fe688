import { FHIR_JSON, operationOutcome } from '@pm/fhir';
import { PROBLEM_CONTENT_TYPE, problem } from '@pm/platform';
import type { Response } from 'express';
import { isFhirPath } from '../fhir/fhir-requests';

/**
 * Answers a refusal from Express middleware, where Nest's exception filter does not reach: a
 * problem+json, or on a `/fhir` path an OperationOutcome in `application/fhir+json`, as FHIR
 * clients expect of every answer there.
 */
export function sendProblem(res: Response, status: number, detail: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers);
  if (isFhirPath(res.req?.originalUrl ?? '')) {
    res.type(FHIR_JSON).send(JSON.stringify(operationOutcome(status, detail)));
    return;
  }
  res.type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(status, detail)));
}
