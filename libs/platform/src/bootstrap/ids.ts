/**
 * A UUID in its text form, in either case. Any layout PostgreSQL's `uuid` accepts: the demo ids
 * (compat) are not all RFC 4122 versions, so the version and variant digits are not checked.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
