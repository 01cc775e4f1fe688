import type { AppDefinition, AppName } from '../apps';

/**
 * Variables that are secrets by name, besides any whose schema description says "secret".
 * REDIS_URL is one because on AWS it carries the ElastiCache auth token.
 */
const SECRET_VARIABLES = new Set(['DB_PASSWORD', 'REDIS_URL', 'AUTH_SIGNING_KEYS', 'KAFKA_SASL_PASSWORD']);

const LOOPBACK = /(^|\/\/|@|,)(127\.0\.0\.1|localhost)(?::(\d+))?/;

export function isSecretVariable(name: string, description?: string): boolean {
  return SECRET_VARIABLES.has(name) || /\bsecret\b/i.test(description ?? '');
}

/** What the platform can give a service, by variable name. */
export interface PlatformValues<S> {
  /** Plain values (endpoints, flags); only those the app's schema knows are used. */
  readonly plain: Readonly<Record<string, string>>;
  /** Secret sources; injected from Secrets Manager, never as plain values. */
  readonly secrets: Readonly<Record<string, S>>;
  /** DNS name of another app inside the VPC (Cloud Map). */
  serviceHost(app: AppName): string;
}

export interface ServiceEnvironment<S> {
  /** Plain variables whose value differs from the schema default. */
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, S>;
  /** Other apps this one calls (found from loopback defaults in its schema), with the port. */
  readonly calls: { readonly app: AppName; readonly port: number; readonly variable: string }[];
}

/**
 * The container environment of one app, generated from its config schema:
 * 1. secrets (by name or description) come from `platform.secrets`;
 * 2. then per-environment overrides, then the platform's plain values, by variable name;
 * 3. a default pointing at 127.0.0.1:<port of another app> is rewritten to that app's
 *    in-VPC name, which also records the call (security groups open exactly those ports).
 * Only values that differ from the default are set. A required variable without a value, a
 * loopback default nobody replaces, or an override the schema does not know is an error at synth.
 */
export function serviceEnvironment<S>(
  target: AppDefinition,
  allApps: readonly AppDefinition[],
  platform: PlatformValues<S>,
  overrides: Readonly<Record<string, string>> = {},
): ServiceEnvironment<S> {
  const known = new Set(target.variables.map((variable) => variable.name));
  const unknownOverrides = Object.keys(overrides).filter((name) => !known.has(name));
  if (unknownOverrides.length > 0) {
    throw new Error(`${target.name}: its config schema has no variable ${unknownOverrides.join(', ')}`);
  }

  const result: ServiceEnvironment<S> = { environment: {}, secrets: {}, calls: [] };
  const problems: string[] = [];
  for (const variable of target.variables) {
    if (isSecretVariable(variable.name, variable.description)) {
      const secret = platform.secrets[variable.name];
      if (secret !== undefined) result.secrets[variable.name] = secret;
      else if (variable.required) problems.push(`${variable.name} is a required secret the platform does not provide`);
      continue;
    }
    let value = overrides[variable.name] ?? platform.plain[variable.name];
    if (value === undefined && variable.default !== undefined) {
      const loopback = LOOPBACK.exec(variable.default);
      if (loopback) {
        const port = Number(loopback[3]);
        const callee = allApps.find((other) => other.httpPort === port || other.grpcPort === port);
        if (!callee) {
          problems.push(`${variable.name} defaults to ${variable.default}, which the platform does not replace`);
          continue;
        }
        value = variable.default.replace(LOOPBACK, `$1${platform.serviceHost(callee.name)}:${port}`);
        result.calls.push({ app: callee.name, port, variable: variable.name });
      }
    }
    if (value === undefined) {
      if (variable.required) problems.push(`${variable.name} is required and has no value`);
      continue;
    }
    if (value !== variable.default) result.environment[variable.name] = value;
  }
  if (problems.length > 0) throw new Error(`${target.name}: ${problems.join('; ')}`);
  return result;
}
