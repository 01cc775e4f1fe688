import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

// Path segments only: the prefix ends up in a Location header, so it must not smuggle a host in.
const SAFE_PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;

/** Reads the `X-Forwarded-Prefix` the gateway sends (`/api`, `/auth`), or '' when absent or unsafe. */
export function forwardedPrefix(header: string | string[] | undefined): string {
  const value = (Array.isArray(header) ? header[0] : header)?.trim().replace(/\/+$/, '');
  return value && SAFE_PREFIX.test(value) ? value : '';
}

/** The path prefix under which the caller reached this service, e.g. `/api` through the gateway. */
export const ForwardedPrefix = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  forwardedPrefix(context.switchToHttp().getRequest<Request>().headers['x-forwarded-prefix']),
);
