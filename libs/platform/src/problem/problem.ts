import { HttpException, HttpStatus } from '@nestjs/common';

/** RFC 9457 problem details, the body of every error response. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Record<string, string>;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export function problem(status: number, detail?: string, extra: Partial<ProblemDetails> = {}): ProblemDetails {
  return { type: 'about:blank', title: titleFor(status), status, ...(detail ? { detail } : {}), ...extra };
}

/**
 * An error a service raises on purpose: it becomes exactly this problem response.
 * `errors` names the offending fields (field -> message).
 */
export class ProblemException extends HttpException {
  constructor(status: number, detail: string, extra: Partial<ProblemDetails> = {}) {
    super(problem(status, detail, extra), status);
  }

  static badRequest(detail: string, errors?: Record<string, string>) {
    return new ProblemException(HttpStatus.BAD_REQUEST, detail, errors ? { errors } : {});
  }

  static notFound(detail: string) {
    return new ProblemException(HttpStatus.NOT_FOUND, detail);
  }

  static conflict(detail: string, errors?: Record<string, string>) {
    return new ProblemException(HttpStatus.CONFLICT, detail, errors ? { errors } : {});
  }

  static unauthorized(detail = 'A valid access token is required') {
    return new ProblemException(HttpStatus.UNAUTHORIZED, detail);
  }

  static serviceUnavailable(detail: string) {
    return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, detail);
  }
}
