import { ProblemException, isUuid } from '@pm/platform';
import { AuditActions, AuditOutcomes, AuditQuery } from '../audit-entry.entity';

export const DEFAULT_AUDIT_PAGE_SIZE = 20;
export const MAX_AUDIT_PAGE_SIZE = 100;
// An instant with its offset, so no server time zone decides what "from" means.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

type Raw = Record<string, unknown>;

/**
 * Reads the audit filters (`patientId`, `actorId`, `action`, `outcome`, `from`, `to`) and paging
 * (`page` from 1, `size`). A bad or repeated value is a 400 naming it.
 */
export function parseAuditQuery(raw: Raw): AuditQuery {
  const errors: Record<string, string> = {};
  const text = (name: string): string | undefined => {
    const value = raw[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      errors[name] = `${name} must be given once`;
      return undefined;
    }
    return value;
  };
  const checked = <T>(name: string, ok: (value: string) => boolean, message: string, convert: (value: string) => T): T | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (ok(value)) return convert(value);
    errors[name] ??= message;
    return undefined;
  };
  const wholeNumber = (name: string, max: number) =>
    checked(name, (v) => /^\d{1,7}$/.test(v) && Number(v) >= 1 && Number(v) <= max, `${name} must be a whole number from 1 to ${max}`, Number);
  const instant = (name: string) =>
    checked(name, (v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)), `${name} must be an ISO 8601 date-time with an offset`, (v) => new Date(v));

  const query: AuditQuery = {
    patientId: checked('patientId', isUuid, 'patientId must be a UUID', (v) => v.toLowerCase()),
    actorId: checked('actorId', (v) => v.length <= 255, 'actorId cannot exceed 255 characters', (v) => v),
    action: checked('action', (v) => (AuditActions as readonly string[]).includes(v), `action must be one of ${AuditActions.join(', ')}`, (v) => v as AuditQuery['action']),
    outcome: checked('outcome', (v) => (AuditOutcomes as readonly string[]).includes(v), `outcome must be one of ${AuditOutcomes.join(', ')}`, (v) => v as AuditQuery['outcome']),
    from: instant('from'),
    to: instant('to'),
    page: wholeNumber('page', 1_000_000) ?? 1,
    size: wholeNumber('size', MAX_AUDIT_PAGE_SIZE) ?? DEFAULT_AUDIT_PAGE_SIZE,
  };
  if (Object.keys(errors).length > 0) throw ProblemException.badRequest('The query has invalid parameters', errors);
  return query;
}
