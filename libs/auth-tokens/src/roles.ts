export const ALL_ROLES = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST'] as const;
export type Role = (typeof ALL_ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
