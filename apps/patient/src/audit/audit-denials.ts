import { Injectable, OnModuleInit } from '@nestjs/common';
import { AccessDenial, AccessTokenGuard } from '@pm/auth-tokens';
import { AuditAction } from './audit-entry.entity';
import { AuditTrail } from './audit-trail';
import { requestIdOf } from '@pm/platform';
import { patientIdsOf } from './audited';

// The patient-record routes, as Express matched them; refusals elsewhere (the audit log itself,
// health) are not accesses to patient records.
const ACTIONS: Record<string, AuditAction> = {
  'GET /patients': 'LIST',
  'GET /patients/:id': 'READ',
  'POST /patients': 'CREATE',
  'PUT /patients/:id': 'UPDATE',
  'DELETE /patients/:id': 'DELETE',
  'POST /patients/:id/restore': 'RESTORE',
};

export function refusedAction(method: string, routePath: string | undefined): AuditAction | undefined {
  return routePath === undefined ? undefined : ACTIONS[`${method.toUpperCase()} ${routePath}`];
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
    const action = refusedAction(request.method, (request.route as { path?: string } | undefined)?.path);
    if (!action) return;
    // Like an access, a refusal answers only once its entry is committed (the guard awaits this);
    // a write the database refuses is retried by the trail, and the refusal still answers.
    await this.trail.record({
      at: new Date(),
      actorId: claims?.userId ?? null,
      actorRole: claims?.role ?? null,
      action,
      patientIds: patientIdsOf(undefined, (request.params ?? {}) as Record<string, string>),
      requestId: requestIdOf(request),
      sourceIp: request.ip ?? null,
      outcome: 'DENIED',
    }).catch(() => undefined);
  }
}
