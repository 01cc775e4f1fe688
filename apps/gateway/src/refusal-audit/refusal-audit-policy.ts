import type { AccessTokenClaims } from '@pm/auth-tokens';
import type { AuditDenialEvent } from '@pm/contracts';
import { isUuid } from '@pm/platform';

const PATIENTS_PREFIX = '/api/patients';
/**
 * The audit action of a request on patient records, the way the patient service names it
 * (audit-denials.ts there), with the patient id when the path names one; undefined for any other
 * path, which is not an access to patient records.
 */
export function patientAccessOf(method: string, path: string): { action: string; patientId: string } | undefined {
  if (path !== PATIENTS_PREFIX && !path.startsWith(`${PATIENTS_PREFIX}/`)) return undefined;
  const [id, sub, ...rest] = path.slice(PATIENTS_PREFIX.length).split('/').filter(Boolean);
  const verb = method.toUpperCase();
  if (id === undefined) {
    const action = ({ GET: 'LIST', POST: 'CREATE' } as Record<string, string>)[verb];
    return action ? { action, patientId: '' } : undefined;
  }
  if (rest.length > 0) return undefined;
  // Only a well-formed id is recorded: the audit trail stores patient ids as UUIDs.
  const patientId = isUuid(id) ? id.toLowerCase() : '';
  if (sub === undefined) {
    const action = ({ GET: 'READ', PUT: 'UPDATE', DELETE: 'DELETE' } as Record<string, string>)[verb];
    return action ? { action, patientId } : undefined;
  }
  return sub === 'restore' && verb === 'POST' ? { action: 'RESTORE', patientId } : undefined;
}

export interface GatewayRefusal {
  eventId: string;
  at: Date;
  status: 401 | 403;
  method: string;
  /** The path without its query string. */
  path: string;
  /** Verified claims when the refusal was a 403; none for a 401 (no token could be trusted). */
  actor?: Pick<AccessTokenClaims, 'userId' | 'role'>;
  requestId: string;
  sourceIp?: string;
}

/** The audit event of a refusal on patient records; undefined for refusals elsewhere. */
export function auditDenialOf(refusal: GatewayRefusal): AuditDenialEvent | undefined {
  const access = patientAccessOf(refusal.method, refusal.path);
  if (!access) return undefined;
  return {
    event_id: refusal.eventId,
    occurred_at: refusal.at.getTime(),
    actor_id: refusal.actor?.userId ?? '',
    actor_role: refusal.actor?.role ?? '',
    action: access.action,
    patient_id: access.patientId,
    request_id: refusal.requestId,
    source_ip: refusal.sourceIp ?? '',
    status: refusal.status,
  };
}
