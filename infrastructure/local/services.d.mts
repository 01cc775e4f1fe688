export const SERVICES: readonly string[];
export function servicePorts(offset?: number): Record<'gateway' | 'patient' | 'billing' | 'analytics' | 'auth' | 'appointment' | 'billingGrpc', number>;
export function serviceEnvironments(options?: {
  offset?: number;
  databaseSuffix?: string;
  groupSuffix?: string;
  demoSeed?: boolean;
}): Record<'auth' | 'billing' | 'patient' | 'analytics' | 'appointment' | 'gateway', Record<string, string | number>>;
