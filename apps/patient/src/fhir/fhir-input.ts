import { HttpException, type Type } from '@nestjs/common';
import { createValidationPipe, DomainError, ProblemException } from '@pm/platform';
import { operationOutcome, type OperationOutcome } from '@pm/fhir';

/**
 * An error answered as an OperationOutcome whose issues name FHIR elements (`Patient.birthDate`)
 * or search parameters, rather than the REST fields the rules behind FHIR name.
 */
export class FhirOutcomeException extends HttpException {
  constructor(
    status: number,
    diagnostics: string,
    { code, expressions = [] }: { code?: string; expressions?: readonly string[] } = {},
  ) {
    super(operationOutcome(status, diagnostics, { code, expressions }), status);
  }

  get outcome(): OperationOutcome {
    return this.getResponse() as OperationOutcome;
  }

  /** A bad input naming each element at fault with its own message. */
  static invalid(errors: Readonly<Record<string, string>>): FhirOutcomeException {
    const messages = Object.entries(errors).map(([element, message]) => `${element}: ${message}`);
    return new FhirOutcomeException(400, messages.join('; '), { code: 'VALIDATION_FAILED', expressions: Object.keys(errors) });
  }
}

/** A REST field (`substance.coding.code`) as the FHIR element it came from, by the resource's own table. */
export type FieldPaths = (restField: string) => string;

/**
 * Re-throws a field error of the REST rules (a validation 400, a FieldError, a 409 naming `email`)
 * with FHIR's element names in place of the REST fields; anything else passes unchanged.
 */
export function inFhirTerms(error: unknown, paths: FieldPaths): never {
  const answer = error instanceof DomainError ? { status: error.status, detail: error.detail, code: error.code, errors: error.fields.errors } : undefined;
  const payload = error instanceof ProblemException ? (error.getResponse() as { status: number; detail?: string; errors?: Record<string, string> }) : undefined;
  const { status, detail, code, errors } = answer ?? (payload ? { ...payload, code: undefined } : { status: 0, detail: undefined, code: undefined, errors: undefined });
  if (!errors) throw error;
  const renamed = Object.entries(errors).map(([field, message]) => [paths(field), message] as const);
  const diagnostics = status === 400 ? renamed.map(([element, message]) => `${element}: ${message}`).join('; ') : (detail ?? 'The request was refused');
  throw new FhirOutcomeException(status, diagnostics, { code: code ?? (status === 400 ? 'VALIDATION_FAILED' : undefined), expressions: renamed.map(([element]) => element) });
}

/**
 * `body` validated as the REST route validates it (the one global ValidationPipe's rules, with
 * `dto`): the same rules, the same messages, with field names translated by `paths`.
 */
export async function validatedAs<T extends object>(dto: Type<T>, body: object, paths: FieldPaths): Promise<T> {
  try {
    return (await createValidationPipe({ expectedType: dto }).transform(body, { type: 'body', metatype: dto })) as T;
  } catch (error) {
    return inFhirTerms(error, paths);
  }
}

/** Runs a call on the REST rules, with any field error it raises named in FHIR terms. */
export async function withFhirPaths<T>(paths: FieldPaths, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    return inFhirTerms(error, paths);
  }
}

/** Refuses elements of `resource` the server does not keep (it would drop them silently otherwise), naming each. */
export function onlyKnownElements(resource: Record<string, unknown>, type: string, known: readonly string[]): void {
  const allowed = new Set(['resourceType', 'id', 'meta', 'text', ...known]);
  const unknown = Object.keys(resource).filter((element) => !allowed.has(element));
  if (unknown.length > 0) {
    throw FhirOutcomeException.invalid(Object.fromEntries(unknown.map((element) => [`${type}.${element}`, 'is not kept by this server; leave it out'])));
  }
}

/** The body as a resource of `type`: an object whose resourceType is `type`, else a 400 naming resourceType. */
export function resourceOf(body: unknown, type: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw FhirOutcomeException.invalid({ [type]: `the body must be a FHIR ${type} resource` });
  const resource = body as Record<string, unknown>;
  if (resource.resourceType !== type) throw FhirOutcomeException.invalid({ [`${type}.resourceType`]: `must be ${type}` });
  return resource;
}
