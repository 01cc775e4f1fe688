import { Type, ValidationError, ValidationPipe } from '@nestjs/common';
import { ProblemException } from './problem';

/** Flattens class-validator errors into `{ field: message }`, nested fields as `a.b`. */
export function fieldErrors(errors: ValidationError[], parent = ''): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    // stopAtFirstError leaves one message per field: the first rule it broke.
    if (messages.length > 0) result[field] = messages[0];
    Object.assign(result, fieldErrors(error.children ?? [], field));
  }
  return result;
}

/**
 * The one global pipe: unknown fields are refused, and every bad field is named. `expectedType`
 * validates against a class the handler's signature cannot name (a body whose class depends on
 * the route, as for the kinds of clinical entry).
 */
export function createValidationPipe({ expectedType }: { expectedType?: Type<unknown> } = {}): ValidationPipe {
  return new ValidationPipe({
    expectedType,
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) =>
      ProblemException.badRequest('The request has invalid fields', fieldErrors(errors)),
  });
}
