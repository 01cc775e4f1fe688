import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { AccessTokenClaims } from '@pm/auth-tokens';
import type { Request } from 'express';
import type { RecordCaller } from './record-access';

/** The header that breaks the glass on a restricted record: why the caller must read it. */
export const ACCESS_REASON_HEADER = 'X-Access-Reason';

/** The caller of a route on the medical record (after the access-token guard): who, in which role, and their X-Access-Reason if given. */
export function recordCallerOf(request: Pick<Request, 'headers'> & { user?: AccessTokenClaims }): RecordCaller {
  const { userId, role } = request.user!;
  const header = request.headers[ACCESS_REASON_HEADER.toLowerCase()];
  const accessReason = Array.isArray(header) ? header.join(', ') : header;
  return accessReason === undefined ? { userId, role } : { userId, role, accessReason };
}

/** Injects the RecordCaller of the request. */
export const CallerOfRecord = createParamDecorator((_data: unknown, context: ExecutionContext): RecordCaller => recordCallerOf(context.switchToHttp().getRequest()));

/** OpenAPI: the header on the routes that read clinical entries. */
export const ACCESS_REASON_API_HEADER = {
  name: ACCESS_REASON_HEADER,
  required: false,
  description:
    "Breaks the glass on a restricted record the caller's care team does not include: why it must be read (10 to 500 characters). " +
    'Opens one hour of read-only access to the record for the caller, every read audited EMERGENCY with the reason.',
};
