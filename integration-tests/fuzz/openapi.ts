import { matchRoute } from '../../apps/gateway/src/routes/route-table';
import type { UpstreamService } from '../../apps/gateway/src/routes/upstream-services';

/** The part of JSON Schema (OpenAPI 3.0 dialect) that Nest's swagger module writes. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: readonly unknown[];
  properties?: Record<string, Schema>;
  required?: readonly string[];
  items?: Schema;
  allOf?: readonly Schema[];
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  example?: unknown;
  nullable?: boolean;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
}

/** One route and method of a service, as its OpenAPI document describes it. */
export interface Operation {
  service: UpstreamService;
  method: string;
  /** The path the service serves, with `{name}` placeholders. */
  path: string;
  /** The same route through the gateway, or undefined when the gateway does not publish it. */
  gatewayPath?: string;
  parameters: Parameter[];
  /** The JSON body's schema (references resolved lazily through `resolve`). */
  body?: Schema;
  /** Answers with a server-sent event stream: read for status and headers only. */
  stream: boolean;
  /** `GET /patients` */
  id: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: any[]; requestBody?: any; responses?: Record<string, any> }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Every operation of one service's document. `gatewayPrefix` is where the gateway publishes the
 * service (`servers[0].url` of `/api-docs/{name}`); the route table decides whether a path is
 * really reachable there and lands on the same service path.
 */
export function operationsOf(service: UpstreamService, document: OpenApiDocument, gatewayPrefix: string): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const sample = path.replace(/\{[^}]+\}/g, 'x');
      // FHIR paths are published at the gateway's root (/fhir/R4/...), not under the document's prefix.
      const prefix = path.startsWith('/fhir/') ? '' : gatewayPrefix;
      const match = matchRoute(`${prefix}${sample}`);
      const published = match && match.route.service === service && match.upstreamPath === sample;
      const json = operation.requestBody?.content?.['application/json']?.schema;
      const produces = Object.values(operation.responses ?? {}).flatMap((r: any) => Object.keys(r?.content ?? {}));
      operations.push({
        service,
        method: method.toUpperCase(),
        path,
        gatewayPath: published ? `${prefix}${path}` : undefined,
        parameters: (operation.parameters ?? []).map((p: any) => ({
          name: p.name,
          in: p.in,
          required: Boolean(p.required),
          schema: parameterSchema(p.schema ?? {}, p.description),
        })),
        body: json,
        stream: produces.includes('text/event-stream') || /\/stream$/.test(path),
        id: `${method.toUpperCase()} ${service}:${path}`,
      });
    }
  }
  return operations;
}

/** Nest leaves some query parameters untyped (`{}`), typed only by example or by description. */
function parameterSchema(schema: Schema, description = ''): Schema {
  if (schema.type || schema.enum || schema.$ref) return schema;
  if (/date-time/i.test(description)) return { ...schema, type: 'string', format: 'date-time' };
  if (typeof schema.example === 'number') return { ...schema, type: 'integer', minimum: 1, maximum: 100 };
  return { ...schema, type: 'string' };
}

/** Follows `#/components/schemas/X` references (and single-member allOf) to a concrete schema. */
export function resolver(document: OpenApiDocument): (schema: Schema) => Schema {
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      const target = document.components?.schemas?.[name];
      if (!target) throw new Error(`Unresolved reference ${schema.$ref}`);
      return resolve(target);
    }
    if (schema.allOf?.length === 1 && !schema.type) return resolve(schema.allOf[0]);
    return schema;
  };
  return resolve;
}
