import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FHIR_JSON, isFhirPath, operationOutcome, type OperationOutcome } from '@pm/fhir';
import type { Request, Response } from 'express';
import { safeErrorSummary } from '../logging';
import { DomainError } from './domain-error';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problem } from './problem';

/** Errors thrown by Express middleware carry their HTTP status on the error (body errors are problems already: useJsonBodies). */
interface ExpressError {
  status?: number;
  statusCode?: number;
}

/**
 * The same facts as an OperationOutcome, for FHIR clients: the detail, the code in `details.text`
 * and each field at fault as an issue's expression.
 */
function outcomeOf(problem: ProblemDetails): OperationOutcome {
  const code = typeof problem.code === 'string' ? problem.code : undefined;
  return operationOutcome(problem.status, problem.detail ?? problem.title, { code, expressions: Object.keys(problem.errors ?? {}) });
}

/**
 * The one place where errors become responses: every error is an RFC 9457 problem, or on a FHIR
 * path (`/fhir/...`) the same facts as an OperationOutcome in application/fhir+json. A DomainError
 * answers its own problem with its `code` (and headers such as Retry-After); Nest's HttpExceptions
 * answer as they say. Unknown errors are logged and answered with a bare 500 so no stack trace,
 * SQL or host name reaches a client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const body = this.toProblem(exception);
    if (response.headersSent) return;
    if (exception instanceof DomainError) response.set(exception.headers);
    if (isFhirPath(http.getRequest<Request>().originalUrl)) {
      response.status(body.status).type(FHIR_JSON).send(JSON.stringify(outcomeOf(body)));
      return;
    }
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      if (exception.status >= 500) this.logger.error({ error: safeErrorSummary(exception) }, 'Request failed');
      return exception.toProblem();
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload && 'type' in payload && 'title' in payload) {
        return payload as ProblemDetails;
      }
      const message =
        typeof payload === 'string'
          ? payload
          : Array.isArray((payload as { message?: unknown }).message)
            ? ((payload as { message: string[] }).message.join('; '))
            : String((payload as { message?: unknown }).message ?? exception.message);
      if (status >= 500) this.logger.error({ error: safeErrorSummary(exception) }, 'Request failed');
      return problem(status, message);
    }
    const expressError = exception as ExpressError | undefined;
    const status = expressError?.status ?? expressError?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problem(status, 'The request could not be processed');
    }
    this.logger.error({ error: safeErrorSummary(exception) }, 'Unhandled error');
    return problem(500, 'An unexpected error occurred');
  }
}

