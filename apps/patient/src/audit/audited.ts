import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokenClaims } from '@pm/auth-tokens';
import type { Request, Response } from 'express';
import { Observable, catchError, concatMap, from, throwError } from 'rxjs';
import { AuditAction } from './audit-entry.entity';
import { AccessNoteSlot, withAccessNotes } from './access-notes';
import { AuditTrail } from './audit-trail';
import { auditedRoute } from './audited-routes';
import { isUuid, requestIdOf } from '@pm/platform';

const AUDITED = Symbol('audited-action');

/** Marks a route as an access to patient records, audited as `action`. */
export const Audited = (action: AuditAction) => SetMetadata(AUDITED, action);

type AuditedRequest = Request & { id?: unknown; user?: AccessTokenClaims };

/**
 * The patients a response is about: those listed, the one returned, else the one in the path
 * (only a well-formed id: `/patients/not-a-uuid` is about no patient).
 */
export function patientIdsOf(body: unknown, params: Record<string, string | undefined>): string[] {
  const value = body as { id?: unknown; patients?: { id?: unknown }[] } | undefined;
  let ids: unknown[];
  if (value && Array.isArray(value.patients)) ids = value.patients.map((patient) => patient.id);
  else if (value && typeof value.id === 'string') ids = [value.id];
  else ids = [params.id];
  return ids.filter(isUuid);
}

/**
 * Records an entry for every request that reached an @Audited handler, whatever its result (a
 * read of an unknown id is still an attempt): ALLOWED unless the service noted otherwise (a
 * restricted record refused, DENIED, or read by break the glass, EMERGENCY), and lets the response go only once the
 * entry is durable: an entry that cannot be written turns the answer into a 503 naming the audit
 * trail. Refusals are recorded by AuditDenials.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly trail: AuditTrail,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<AuditAction | undefined>(AUDITED, context.getHandler());
    if (!action) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AuditedRequest>();
    const response = http.getResponse<Response>();
    const at = new Date();
    const entryKind = auditedRoute(request.method, (request.route as { path?: string } | undefined)?.path)?.entryKind;
    // The services below note a refusal or a break-the-glass read here (a restricted record).
    const slot: AccessNoteSlot = {};
    // An entry that cannot be written rejects with AuditUnavailableError: the 503 of every audited route.
    const record = (body: unknown): Promise<void> =>
      this.trail.record({
        at,
        actorId: request.user?.userId ?? null,
        actorRole: request.user?.role ?? null,
        action,
        entryKind: entryKind ?? null,
        // A clinical entry's answer carries the entry's id: the patient is the one in the path.
        patientIds: patientIdsOf(entryKind ? undefined : body, (request.params ?? {}) as Record<string, string | undefined>),
        requestId: requestIdOf(request, response),
        sourceIp: request.ip ?? null,
        outcome: slot.note?.outcome ?? 'ALLOWED',
        reason: slot.note?.reason ?? null,
      });
    // Nest binds the handler's async context when handle() is called: inside the slot's.
    return withAccessNotes(slot, () => next.handle()).pipe(
      catchError((error: unknown) => from(record(undefined)).pipe(concatMap(() => throwError(() => error)))),
      concatMap(async (body) => {
        await record(body);
        return body;
      }),
    );
  }
}
