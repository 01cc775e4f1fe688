import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessDenial, AccessTokenGuard } from '@pm/auth-tokens';
import { AuditAction } from './audit-entry.entity';
import { AuditTrail } from './audit-trail';
import { requestIdOf } from '@pm/platform';
import { auditedPatientIds } from './audited';
import { auditedRoute } from './audited-routes';

export function refusedAction(method: string, routePath: string | undefined): AuditAction | undefined {
  return auditedRoute(method, routePath)?.action;
}

/** Records every refused attempt on patient records (401 without an actor, 403 with one) as DENIED. */
@Injectable()
export class AuditDenials implements OnModuleInit {
  constructor(
    private readonly guard: AccessTokenGuard,
    private readonly trail: AuditTrail,
  ) {}

  onModuleInit(): void {
    this.guard.onDenied((denial) => this.record(denial));
  }

  private async record({ claims, request }: AccessDenial): Promise<void> {
    const audited = auditedRoute(request.method, (request.route as { path?: string } | undefined)?.path);
    if (!audited) return;
    // Like an access, a refusal answers only once its entry is committed (the guard awaits this);
    // a write the database refuses is retried by the trail, and the refusal still answers.
    await this.trail.record({
      at: new Date(),
      actorId: claims?.userId ?? null,
      actorRole: claims?.role ?? null,
      action: audited.action,
      entryKind: audited.entryKind ?? null,
      patientIds: auditedPatientIds(undefined, request, audited.entryKind !== undefined),
      requestId: requestIdOf(request),
      sourceIp: request.ip ?? null,
      outcome: 'DENIED',
    }).catch(() => undefined);
  }
}
