/**
 * What the FHIR R4 surface serves: one table read by the gateway (routing by resource type), by
 * each service (which resources it owns) and by the CapabilityStatement at `GET /fhir/R4/metadata`,
 * so the statement lists exactly what is served.
 */
export const FHIR_BASE = '/fhir/R4';

/** The FHIR JSON media type; every FHIR answer, errors included, carries it. */
export const FHIR_JSON = 'application/fhir+json';

export const FHIR_VERSION = '4.0.1';

export type FhirInteraction = 'read' | 'search-type' | 'create';

export interface FhirSearchParam {
  readonly name: string;
  readonly type: 'string' | 'token' | 'date' | 'reference' | 'number';
  readonly documentation: string;
}

export interface FhirResourceSurface {
  /** The resource type, as in its URL: `/fhir/R4/{type}`. */
  readonly type: string;
  /** The service that owns the resource and answers its URLs (the gateway's upstream name). */
  readonly service: 'patient' | 'appointment';
  readonly interactions: readonly FhirInteraction[];
  readonly searchParams: readonly FhirSearchParam[];
  /** Instance operations (`/{type}/{id}/$name`). */
  readonly operations?: readonly { readonly name: string; readonly definition: string }[];
  readonly supportedProfiles?: readonly string[];
}

const PATIENT_REFERENCE: FhirSearchParam = { name: 'patient', type: 'reference', documentation: 'The patient: `Patient/{id}` or the bare id. Required.' };
const COUNT: FhirSearchParam = { name: '_count', type: 'number', documentation: 'Page size, 1 to 100 (default 20); the Bundle links the next page.' };

export const VITAL_SIGNS_PROFILE = 'http://hl7.org/fhir/StructureDefinition/vitalsigns';

export const FHIR_SURFACE: readonly FhirResourceSurface[] = [
  {
    type: 'Patient',
    service: 'patient',
    interactions: ['read', 'search-type', 'create'],
    searchParams: [
      { name: 'name', type: 'string', documentation: 'Typo-tolerant match on the name, as the REST search (`searchValue`): not FHIR\'s prefix match.' },
      { name: 'birthdate', type: 'date', documentation: 'An exact date (YYYY-MM-DD) only: birth dates are encrypted, so no ranges or prefixes.' },
      { name: 'email', type: 'token', documentation: 'Exact email address, case-insensitive.' },
      COUNT,
    ],
    operations: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }],
  },
  { type: 'AllergyIntolerance', service: 'patient', interactions: ['read', 'search-type', 'create'], searchParams: [PATIENT_REFERENCE, COUNT] },
  { type: 'Condition', service: 'patient', interactions: ['read', 'search-type', 'create'], searchParams: [PATIENT_REFERENCE, COUNT] },
  { type: 'MedicationStatement', service: 'patient', interactions: ['read', 'search-type', 'create'], searchParams: [PATIENT_REFERENCE, COUNT] },
  {
    type: 'Observation',
    service: 'patient',
    interactions: ['read', 'search-type', 'create'],
    searchParams: [
      PATIENT_REFERENCE,
      { name: 'category', type: 'token', documentation: 'Only `vital-signs` is served.' },
      { name: 'code', type: 'token', documentation: 'A LOINC code, with or without `http://loinc.org|`.' },
      COUNT,
    ],
    supportedProfiles: [VITAL_SIGNS_PROFILE],
  },
  {
    type: 'Appointment',
    service: 'appointment',
    interactions: ['read', 'search-type'],
    searchParams: [
      PATIENT_REFERENCE,
      { name: 'date', type: 'date', documentation: 'The start: a day (YYYY-MM-DD, UTC), or `ge`/`le` a day; repeat for a range (`date=ge2027-03-01&date=le2027-03-31`).' },
      COUNT,
    ],
  },
];

/**
 * Whether a request URL (path and query) lies under `/fhir`, any case: every answer there, errors
 * included, is FHIR (an OperationOutcome in application/fhir+json), at the gateway and the services.
 */
export function isFhirPath(url: string): boolean {
  const path = url.split('?')[0].toLowerCase();
  return path === '/fhir' || path.startsWith('/fhir/');
}

/** The surface of a resource type, or undefined for one that is not served. */
export function fhirResource(type: string): FhirResourceSurface | undefined {
  return FHIR_SURFACE.find((resource) => resource.type === type);
}
