import { z } from 'zod';

export class InvalidConfigurationError extends Error {
  constructor(
    readonly serviceName: string,
    readonly problems: { variable: string; message: string }[],
  ) {
    super(
      `Invalid configuration for ${serviceName}: ` +
        problems.map((p) => `${p.variable}: ${p.message}`).join('; '),
    );
  }
}

/** Parses the environment against a schema; throws naming every bad variable. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  // Empty strings mean "unset" so a blank line in an .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? '(root)'),
    message: issue.message,
  }));
  throw new InvalidConfigurationError(serviceName, problems);
}

/** For main.ts: a bad configuration ends the process with a message naming the variable. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, serviceName: string): z.infer<S> {
  try {
    return loadConfig(schema, serviceName);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
