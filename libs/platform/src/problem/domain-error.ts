import { status as GrpcStatus } from '@grpc/grpc-js';
import { ProblemDetails, problem, titleFor } from './problem';

/** What one error of a feature means, declared once beside the feature in `<feature>.errors.ts`. */
export interface ErrorSpec {
  /** Stable and part of the contract (clients switch on it): `<FEATURE>_<WHAT>`, never renamed. */
  readonly code: string;
  /** The HTTP status it answers. */
  readonly status: number;
  /** The gRPC status it answers; by default the usual match for `status` (grpcStatusFor). */
  readonly grpcStatus?: GrpcStatus;
  /** The problem's title; by default the status's reason phrase, as every problem had before codes. */
  readonly title?: string;
  /** When it is answered, for the OpenAPI documents. */
  readonly description: string;
  /** The detail when the constructor gives none: errors that always say the same need no constructor. */
  readonly detail?: string;
}

/** Extra problem members an error carries (`errors` naming fields, `candidates`, `currentStatus`). */
export type ProblemFields = { [member: string]: unknown } & { errors?: Record<string, string> };

export interface DomainErrorOptions {
  fields?: ProblemFields;
  /** Response headers that go with the problem (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** For logs and tests when it says more than the client's `detail` (never patient data either way). */
  message?: string;
  cause?: unknown;
}

// The usual gRPC reading of an HTTP status (google.rpc.Code's HTTP mapping).
const GRPC_FOR_HTTP: Record<number, GrpcStatus> = {
  400: GrpcStatus.INVALID_ARGUMENT,
  401: GrpcStatus.UNAUTHENTICATED,
  403: GrpcStatus.PERMISSION_DENIED,
  404: GrpcStatus.NOT_FOUND,
  409: GrpcStatus.ALREADY_EXISTS,
  412: GrpcStatus.FAILED_PRECONDITION,
  422: GrpcStatus.INVALID_ARGUMENT,
  429: GrpcStatus.RESOURCE_EXHAUSTED,
  503: GrpcStatus.UNAVAILABLE,
  504: GrpcStatus.DEADLINE_EXCEEDED,
};

export function grpcStatusFor(httpStatus: number): GrpcStatus {
  return GRPC_FOR_HTTP[httpStatus] ?? (httpStatus >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.FAILED_PRECONDITION);
}

/** A class of DomainError: its static `spec` is readable without an instance (OpenAPI, catalogues). */
export interface DomainErrorClass {
  readonly spec: ErrorSpec;
  readonly name: string;
}

/**
 * An error a service raises on purpose. Each subclass declares its `spec` (code, statuses) once;
 * the one exception filter (ProblemDetailsFilter) and the gRPC server (GrpcServer) turn it into
 * a problem+json with `code` or a gRPC status, so handlers catch nothing.
 *
 *     export class PatientNotFoundError extends DomainError {
 *       static readonly spec = { code: 'PATIENT_NOT_FOUND', status: 404, description: 'No patient has this id' };
 *       constructor(readonly patientId: string) { super(`No patient with id ${patientId}`); }
 *     }
 *     export class InvalidCredentialsError extends DomainError {
 *       static readonly spec = { code: 'LOGIN_INVALID_CREDENTIALS', status: 401, description: '…', detail: 'Invalid email or password' };
 *     }
 */
export abstract class DomainError extends Error {
  declare static readonly spec: ErrorSpec;

  readonly code: string;
  readonly status: number;
  readonly grpcStatus: GrpcStatus;
  readonly title: string;
  readonly fields: ProblemFields;
  readonly headers: Readonly<Record<string, string>>;

  /** What the client reads (by default the spec's `detail`): it must never hold patient data. */
  readonly detail: string;

  constructor(detail?: string, options: DomainErrorOptions = {}) {
    const spec = new.target.spec;
    const said = detail ?? spec.detail ?? titleFor(spec.status);
    super(options.message ?? said, options.cause === undefined ? undefined : { cause: options.cause });
    this.detail = said;
    this.name = new.target.name;
    this.code = spec.code;
    this.status = spec.status;
    this.grpcStatus = spec.grpcStatus ?? grpcStatusFor(spec.status);
    this.title = spec.title ?? titleFor(spec.status);
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }

  /** The RFC 9457 body: the problem it always was, plus `code`. */
  toProblem(): ProblemDetails {
    return { ...problem(this.status, this.detail, this.fields), title: this.title, code: this.code };
  }
}

/** A DomainError about one input field: `errors` names it with the message, which is also the detail. */
export abstract class FieldError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, { fields: { errors: { [field]: message } } });
  }
}
