import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Accept a caller's id only when it is short and plain, so it cannot inject into logs or headers.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A caller's request id (an HTTP header's or gRPC metadata's value) when safe to log, else a new one. */
export function acceptRequestId(value: unknown): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/** The id a new request gets: the caller's X-Request-Id when safe, else a new one (LoggingModule's genReqId). */
export function requestIdFrom(req: { headers: IncomingHttpHeaders }): string {
  return acceptRequestId(req.headers[REQUEST_ID_HEADER]);
}

/**
 * The id this request was given (pino-http's `req.id`, echoed in the response's X-Request-Id), for
 * passing on to the calls, events and audit entries it causes.
 */
export function requestIdOf(request: IncomingMessage & { id?: unknown }, response?: Pick<ServerResponse, 'getHeader'>): string {
  const assigned = request.id ?? response?.getHeader(REQUEST_ID_HEADER);
  return assigned === undefined ? requestIdFrom(request) : String(assigned);
}

/** The request's id as a handler parameter (see requestIdOf). */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const http = context.switchToHttp();
  return requestIdOf(http.getRequest<IncomingMessage & { id?: unknown }>(), http.getResponse<ServerResponse>());
});
