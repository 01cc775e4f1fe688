import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ProblemException } from '@pm/problem';
import { Observable, catchError, throwError } from 'rxjs';
import { RevocationUnavailableError } from '../sessions/sessions.service';
import { EmailTakenError, SelfLockoutError, UserNotFoundError, WeakPasswordError } from './user-management.errors';

/** The one place user-management errors become problem responses. */
export function userProblem(error: unknown): unknown {
  if (error instanceof UserNotFoundError) return ProblemException.notFound(error.message);
  if (error instanceof EmailTakenError) return ProblemException.conflict(error.message, { email: 'email is already taken' });
  if (error instanceof WeakPasswordError) return ProblemException.badRequest('The password is not acceptable', { password: error.message });
  if (error instanceof SelfLockoutError) return ProblemException.badRequest(error.message, { id: error.message });
  if (error instanceof RevocationUnavailableError) {
    return ProblemException.serviceUnavailable(`The change is saved but the user's tokens could not be revoked yet; repeat the request`);
  }
  return error;
}

@Injectable()
export class UserProblemsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => userProblem(error))));
  }
}
