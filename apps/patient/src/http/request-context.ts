import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { REQUEST_ID_HEADER } from '@pm/logging';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

/** The request's id as pino-http assigned it (and echoed in `x-request-id`), for passing on. */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const http = context.switchToHttp();
  const request = http.getRequest<Request & { id?: unknown }>();
  const fromResponse = http.getResponse<Response>().getHeader(REQUEST_ID_HEADER);
  return String(request.id ?? fromResponse ?? randomUUID());
});

// Path segments only: the prefix ends up in a Location header, so it must not smuggle a host in.
const SAFE_PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;

/** Reads the `X-Forwarded-Prefix` the gateway sends (`/api`), or '' when absent or unsafe. */
export function forwardedPrefix(header: string | string[] | undefined): string {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().replace(/\/+$/, '');
  return value && SAFE_PREFIX.test(value) ? value : '';
}

/** The path prefix under which the caller reached this service, e.g. `/api` through the gateway. */
export const ForwardedPrefix = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  forwardedPrefix(context.switchToHttp().getRequest<Request>().headers['x-forwarded-prefix']),
);
