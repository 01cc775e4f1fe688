import { describeConfig } from '@pm/platform';
import type { z } from 'zod';
import { analyticsConfigSchema } from '../../apps/analytics/src/config/analytics.config';
import { appointmentConfigSchema } from '../../apps/appointment/src/config/appointment.config';
import { authConfigSchema } from '../../apps/auth/src/config/auth.config';
import { billingConfigSchema } from '../../apps/billing/src/config/billing.config';
import { gatewayConfigSchema } from '../../apps/gateway/src/config/gateway.config';
import { patientConfigSchema } from '../../apps/patient/src/config/patient.config';

/** Every app's configuration schema: the one source for the README table, compose and CDK. */
export const configSchemas: Record<string, z.ZodObject> = {
  gateway: gatewayConfigSchema,
  auth: authConfigSchema,
  patient: patientConfigSchema,
  billing: billingConfigSchema,
  analytics: analyticsConfigSchema,
  appointment: appointmentConfigSchema,
};

/**
 * The README's configuration table, generated from the schemas. A service-specific default
 * (ports, database names) is shown per service.
 */
export function configurationTable(): string {
  const variables = new Map<string, { description?: string; required: boolean; defaults: Map<string, string | undefined> }>();
  for (const [service, schema] of Object.entries(configSchemas)) {
    for (const variable of describeConfig(schema)) {
      const entry = variables.get(variable.name) ?? { description: variable.description, required: variable.required, defaults: new Map() };
      entry.description ??= variable.description;
      entry.required ||= variable.required;
      entry.defaults.set(service, variable.default);
      variables.set(variable.name, entry);
    }
  }
  const rows = [...variables].map(([name, { description, required, defaults }]) => {
    const services = [...defaults.keys()];
    const distinct = new Set(defaults.values());
    const shown =
      distinct.size === 1
        ? formatDefault([...distinct][0], required)
        : services.map((s) => `${s}: ${formatDefault(defaults.get(s), required)}`).join('<br/>');
    const readBy = services.length === Object.keys(configSchemas).length ? 'all' : services.join(', ');
    return `| \`${name}\` | ${shown} | ${readBy} | ${description ?? ''} |`;
  });
  return ['| variable | default | read by | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

function formatDefault(value: string | undefined, required: boolean): string {
  if (value === undefined) return required ? '(required)' : '(unset)';
  return value === '' ? '(empty)' : `\`${value}\``;
}
