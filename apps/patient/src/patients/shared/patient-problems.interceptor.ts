import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { ProblemException } from '@pm/problem';
import { Observable, catchError, throwError } from 'rxjs';
import { IdempotencyKeyReusedError, PatientEmailTakenError, PatientLikelyDuplicateError, PatientNotFoundError, PatientVersionMismatchError } from './patient.errors';

/** The one place the patients module's errors become problem responses. */
export function toProblem(error: unknown): unknown {
  if (error instanceof PatientNotFoundError) return ProblemException.notFound(error.message);
  if (error instanceof PatientEmailTakenError) {
    return ProblemException.conflict(error.message, { email: 'A patient with this email already exists' });
  }
  if (error instanceof PatientLikelyDuplicateError) {
    return new ProblemException(HttpStatus.CONFLICT, error.message, { candidates: error.candidateIds });
  }
  if (error instanceof PatientVersionMismatchError) return new ProblemException(HttpStatus.PRECONDITION_FAILED, error.message);
  if (error instanceof IdempotencyKeyReusedError) {
    return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, error.message, { errors: { 'Idempotency-Key': error.message } });
  }
  return error;
}

@Injectable()
export class PatientProblemsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => toProblem(error))));
  }
}
