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

/** The patient a FHIR resource is: a Patient's id, a clinical resource's `subject` or `patient`. */
function fhirPatientIdOf(resource: unknown): unknown {
  const { resourceType, id, subject, patient } = (resource ?? {}) as { resourceType?: unknown; id?: unknown; subject?: { reference?: unknown }; patient?: { reference?: unknown } };
  if (resourceType === 'Patient') return id;
  const reference = subject?.reference ?? patient?.reference;
  return typeof reference === 'string' && reference.startsWith('Patient/') ? reference.slice('Patient/'.length) : undefined;
}

/**
 * The patients a FHIR answer is about: each Patient and each clinical resource's patient in a
 * Bundle, or the one resource's. Without an answer (an error, a refusal): the patient a search
 * names (`?patient=`), the Patient in the path, or the patient of a posted clinical resource;
 * never a clinical resource's own id.
 */
export function fhirPatientIdsOf(
  body: unknown,
  request: { params?: Record<string, string | undefined>; query?: unknown; routePath?: string; posted?: unknown },
): string[] {
  const value = body as { resourceType?: unknown; entry?: { resource?: unknown }[] } | undefined;
  let ids: unknown[];
  if (value?.resourceType === 'Bundle') ids = (value.entry ?? []).map((entry) => fhirPatientIdOf(entry.resource));
  else if (value?.resourceType) ids = [fhirPatientIdOf(value)];
  else {
    const searched = (request.query as Record<string, unknown> | undefined)?.patient;
    const patientInPath = request.routePath?.startsWith('/fhir/R4/Patient/') ? request.params?.id : undefined;
    const postedPatient = request.posted && typeof request.posted === 'object' ? fhirPatientIdOf(request.posted) : undefined;
    ids = [typeof searched === 'string' ? searched.replace(/^Patient\//, '') : patientInPath, postedPatient];
  }
  return [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
}

/** The patients an audited request is about, FHIR or REST, as its answer or its path says. */
export function auditedPatientIds(body: unknown, request: Request, clinical: boolean): string[] {
  const routePath = (request.route as { path?: string } | undefined)?.path;
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  if (routePath?.startsWith('/fhir/')) return fhirPatientIdsOf(body, { params, query: request.query, routePath, posted: request.body as unknown });
  // A clinical entry's answer carries the entry's id: the patient is the one in the path.
  return patientIdsOf(clinical ? undefined : body, params);
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
        patientIds: auditedPatientIds(body, request, entryKind !== undefined),
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
