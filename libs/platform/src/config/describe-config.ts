import { z } from 'zod';

export interface ConfigVariable {
  name: string;
  required: boolean;
  default?: string;
  description?: string;
}

/** Lists a schema's variables with their defaults, for docs, compose and CDK drift checks. */
export function describeConfig(schema: z.ZodObject): ConfigVariable[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { default?: unknown; description?: string }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    required: (json.required ?? []).includes(name) && property.default === undefined,
    default: property.default === undefined ? undefined : String(property.default),
    description: property.description,
  }));
}
