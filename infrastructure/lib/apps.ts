import type { z } from 'zod';
import { type ConfigVariable, describeConfig } from '@pm/platform';
import { analyticsConfigSchema } from '../../apps/analytics/src/config/analytics.config';
import { appointmentConfigSchema } from '../../apps/appointment/src/config/appointment.config';
import { authConfigSchema } from '../../apps/auth/src/config/auth.config';
import { billingConfigSchema } from '../../apps/billing/src/config/billing.config';
import { gatewayConfigSchema } from '../../apps/gateway/src/config/gateway.config';
import { patientConfigSchema } from '../../apps/patient/src/config/patient.config';

/**
 * The six services as the infrastructure sees them. Everything here is read from each app's own
 * config schema (ports, database, consumer group, the variables themselves), so the deployment
 * cannot drift from the code: only the list of apps is written down.
 */
const schemas = {
  gateway: gatewayConfigSchema,
  auth: authConfigSchema,
  patient: patientConfigSchema,
  billing: billingConfigSchema,
  analytics: analyticsConfigSchema,
  appointment: appointmentConfigSchema,
} satisfies Record<string, z.ZodObject>;

export type AppName = keyof typeof schemas;

export interface AppDefinition {
  readonly name: AppName;
  readonly schema: z.ZodObject;
  readonly variables: readonly ConfigVariable[];
  readonly httpPort: number;
  readonly grpcPort?: number;
  /** The app's own PostgreSQL database (DB_NAME default), when it has one. */
  readonly databaseName?: string;
  /** Kafka consumer group (KAFKA_CONSUMER_GROUP default), when the app consumes. */
  readonly consumerGroup?: string;
  readonly usesKafka: boolean;
  readonly usesRedis: boolean;
}

function defaultOf(variables: readonly ConfigVariable[], name: string): string | undefined {
  return variables.find((variable) => variable.name === name)?.default;
}

function definition(name: AppName, schema: z.ZodObject): AppDefinition {
  const variables = describeConfig(schema);
  const httpPort = Number(defaultOf(variables, 'HTTP_PORT'));
  if (!Number.isInteger(httpPort) || httpPort <= 0) throw new Error(`${name}: config schema has no HTTP_PORT default`);
  const grpcPort = defaultOf(variables, 'GRPC_PORT');
  const has = (variable: string) => variables.some((candidate) => candidate.name === variable);
  return {
    name,
    schema,
    variables,
    httpPort,
    grpcPort: grpcPort === undefined ? undefined : Number(grpcPort),
    databaseName: defaultOf(variables, 'DB_NAME'),
    consumerGroup: defaultOf(variables, 'KAFKA_CONSUMER_GROUP'),
    usesKafka: has('KAFKA_BROKERS'),
    usesRedis: has('REDIS_URL'),
  };
}

export const apps: readonly AppDefinition[] = (Object.entries(schemas) as [AppName, z.ZodObject][]).map(
  ([name, schema]) => definition(name, schema),
);

export function app(name: AppName): AppDefinition {
  const found = apps.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`Unknown app '${name}'`);
  return found;
}

/** The only service the load balancer forwards to. */
export const PUBLIC_APP: AppName = 'gateway';
