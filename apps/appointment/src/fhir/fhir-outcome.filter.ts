import { type ArgumentsHost, Catch } from '@nestjs/common';
import { FHIR_JSON, operationOutcome } from '@pm/fhir';
import { DomainError, ProblemDetailsFilter } from '@pm/platform';
import type { Response } from 'express';

/**
 * The exception filter of the FHIR controllers: the same errors as the REST routes (the problem
 * the one filter would answer, its code and fields), answered as an OperationOutcome in
 * `application/fhir+json`, as FHIR clients expect.
 */
@Catch()
export class FhirOutcomeFilter extends ProblemDetailsFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    if (response.headersSent) return;
    if (exception instanceof DomainError) response.set(exception.headers);
    const code = typeof problem.code === 'string' ? problem.code : undefined;
    const outcome = operationOutcome(problem.status, problem.detail ?? problem.title, { code, expressions: Object.keys(problem.errors ?? {}) });
    response.status(problem.status).type(FHIR_JSON).send(JSON.stringify(outcome));
  }
}
