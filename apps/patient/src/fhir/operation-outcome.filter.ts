import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, type ProblemDetails, safeErrorSummary } from '@pm/platform';
import { FHIR_JSON, type OperationOutcome, operationOutcome } from '@pm/fhir';
import type { Response } from 'express';
import { FhirOutcomeException } from './fhir-input';

/**
 * Every error under /fhir as an OperationOutcome (application/fhir+json) with the status the REST
 * routes would answer: the problem's detail as diagnostics, its code in `details.text`, each field
 * it names as an `expression`. Scoped to the FHIR controllers; the rest of the service keeps its
 * problem+json. An unknown error is logged (its summary only) and answered with a bare 500.
 */
@Catch()
export class OperationOutcomeFilter implements ExceptionFilter {
  private readonly logger = new Logger('FhirOperationOutcome');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, outcome } = this.toOutcome(exception);
    if (response.headersSent) return;
    if (exception instanceof DomainError) response.set(exception.headers);
    response.status(status).type(FHIR_JSON).send(JSON.stringify(outcome));
  }

  private toOutcome(exception: unknown): { status: number; outcome: OperationOutcome } {
    if (exception instanceof FhirOutcomeException) return { status: exception.getStatus(), outcome: exception.outcome };
    if (exception instanceof DomainError) {
      if (exception.status >= 500) this.logger.error({ error: safeErrorSummary(exception) }, 'FHIR request failed');
      return this.fromProblem(exception.toProblem());
    }
    if (exception instanceof HttpException) {
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'status' in payload && 'title' in payload) return this.fromProblem(payload as ProblemDetails);
      if (exception.getStatus() >= 500) this.logger.error({ error: safeErrorSummary(exception) }, 'FHIR request failed');
      return { status: exception.getStatus(), outcome: operationOutcome(exception.getStatus(), exception.message) };
    }
    this.logger.error({ error: safeErrorSummary(exception) }, 'Unhandled error');
    return { status: 500, outcome: operationOutcome(500, 'An unexpected error occurred') };
  }

  private fromProblem(problem: ProblemDetails): { status: number; outcome: OperationOutcome } {
    const code = typeof problem.code === 'string' ? problem.code : undefined;
    const expressions = Object.keys(problem.errors ?? {});
    const fields = Object.entries(problem.errors ?? {}).map(([field, message]) => `${field}: ${message}`);
    const diagnostics = fields.length > 0 ? fields.join('; ') : (problem.detail ?? problem.title);
    return { status: problem.status, outcome: operationOutcome(problem.status, diagnostics, { code, expressions }) };
  }
}
