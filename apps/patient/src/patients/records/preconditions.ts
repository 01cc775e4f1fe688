import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The versions an `If-Match` header accepts: undefined when there is no condition (absent, or `*`,
 * which any existing patient meets); an empty list when nothing in it can match (412).
 * Our ETags are weak (`W/"3"`); a strong `"3"` names the same version.
 */
export function acceptedVersions(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const versions: number[] = [];
  for (const tag of header.split(',')) {
    const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag);
    if (match) versions.push(Number(match[1]));
  }
  return versions;
}

/** The versions the request's `If-Match` accepts (acceptedVersions); it never refuses a request. */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): number[] | undefined =>
  acceptedVersions(context.switchToHttp().getRequest<Request>().headers['if-match']),
);
