import { FHIR_BASE, FHIR_SURFACE, type FhirResourceSurface } from '@pm/fhir';

export { isFhirPath } from '@pm/fhir';

/** The gateway's own FHIR endpoint (answered by Nest, not proxied): the CapabilityStatement. */
export const FHIR_METADATA_PATH = `${FHIR_BASE}/metadata`;

const READ_METHODS = ['GET', 'HEAD'];
const pathOf = (url: string) => url.split('?')[0];

/** Whether the gateway answers the request itself (the metadata route), so the proxy pipeline lets it by. */
export function isGatewayFhirRequest(method: string, url: string): boolean {
  return READ_METHODS.includes(method.toUpperCase()) && pathOf(url).toLowerCase() === FHIR_METADATA_PATH.toLowerCase();
}

export interface FhirRefusal {
  readonly status: 404 | 405;
  readonly detail: string;
  /** The methods the path serves, for the 405's Allow header. */
  readonly allow?: string;
}

/** The methods a URL shape of a resource serves: type level, instance, or an instance operation. */
function methodsOf(resource: FhirResourceSurface, below: readonly string[]): string[] | undefined {
  const has = (interaction: string) => (resource.interactions as readonly string[]).includes(interaction);
  if (below.length === 0) return [...(has('search-type') ? READ_METHODS : []), ...(has('create') ? ['POST'] : [])];
  if (below.length === 1) return has('read') ? READ_METHODS : [];
  const operation = below[1];
  const served = below.length === 2 && operation.startsWith('$') && resource.operations?.some((op) => `$${op.name}` === operation);
  return served ? READ_METHODS : undefined;
}

/**
 * Why the gateway refuses a FHIR request before any token check, or undefined when it is one the
 * surface serves: 404 for a path outside `/fhir/R4/{type}`, a resource type that is not served
 * (FHIR_SURFACE) or a URL shape the type does not have; 405 (with Allow) for a method the path
 * does not serve (nothing is updated or deleted over FHIR).
 */
export function fhirRefusal(method: string, url: string): FhirRefusal | undefined {
  const path = pathOf(url);
  const base = FHIR_BASE.toLowerCase();
  if (!path.toLowerCase().startsWith(`${base}/`)) return { status: 404, detail: `FHIR R4 is served at ${FHIR_BASE}; ${FHIR_METADATA_PATH} lists what is served` };
  const [type = '', ...below] = path.slice(base.length + 1).split('/');
  const verb = method.toUpperCase();
  if (type.toLowerCase() === 'metadata' && below.length === 0) {
    return READ_METHODS.includes(verb) ? undefined : { status: 405, detail: `${FHIR_METADATA_PATH} is read only`, allow: READ_METHODS.join(', ') };
  }
  const resource = FHIR_SURFACE.find((served) => served.type.toLowerCase() === type.toLowerCase());
  if (!resource) return { status: 404, detail: `The resource type is not served here; ${FHIR_METADATA_PATH} lists those that are` };
  const methods = methodsOf(resource, below.filter((segment, index) => segment !== '' || index < below.length - 1));
  if (!methods?.length) return { status: 404, detail: `${resource.type} has no such interaction; ${FHIR_METADATA_PATH} lists those it has` };
  if (!methods.includes(verb)) return { status: 405, detail: `${verb} is not served on this ${resource.type} path`, allow: methods.join(', ') };
  return undefined;
}
