import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ProblemException } from '@pm/problem';
import { Observable, catchError, throwError } from 'rxjs';
import { PatientEmailTakenError, PatientNotFoundError } from './patient.errors';

/** The one place the patients module's errors become problem responses. */
export function toProblem(error: unknown): unknown {
  if (error instanceof PatientNotFoundError) return ProblemException.notFound(error.message);
  if (error instanceof PatientEmailTakenError) {
    return ProblemException.conflict(error.message, { email: 'A patient with this email already exists' });
  }
  return error;
}

@Injectable()
export class PatientProblemsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => toProblem(error))));
  }
}
