import { FHIR_BASE, FHIR_JSON, FHIR_SURFACE, FHIR_VERSION, type FhirInteraction, type FhirResourceSurface } from './fhir-surface';

/** The parts of an R4 CapabilityStatement this server fills in (http://hl7.org/fhir/R4/capabilitystatement.html). */
export interface CapabilityStatement {
  readonly resourceType: 'CapabilityStatement';
  readonly status: 'active';
  readonly date: string;
  readonly publisher: string;
  readonly kind: 'instance';
  readonly software: { readonly name: string };
  readonly implementation: { readonly description: string; readonly url?: string };
  readonly fhirVersion: string;
  readonly format: readonly string[];
  readonly rest: readonly [
    {
      readonly mode: 'server';
      readonly security: {
        readonly cors: boolean;
        readonly service: readonly { readonly coding: readonly { readonly system: string; readonly code: string }[]; readonly text: string }[];
        readonly description: string;
      };
      readonly resource: readonly CapabilityResource[];
    },
  ];
}

export interface CapabilityResource {
  readonly type: string;
  readonly supportedProfile?: readonly string[];
  readonly interaction: readonly { readonly code: FhirInteraction }[];
  readonly searchParam: readonly { readonly name: string; readonly type: string; readonly documentation: string }[];
  readonly operation?: readonly { readonly name: string; readonly definition: string }[];
}

export interface CapabilityStatementOptions {
  /** When the statement was published (its `date`); the time the server started. */
  readonly date: Date;
  /** The absolute base URL of the FHIR endpoint, when known (`implementation.url`). */
  readonly baseUrl?: string;
}

function capabilityResource(resource: FhirResourceSurface): CapabilityResource {
  return {
    type: resource.type,
    ...(resource.supportedProfiles?.length ? { supportedProfile: resource.supportedProfiles } : {}),
    interaction: resource.interactions.map((code) => ({ code })),
    searchParam: resource.searchParams.map(({ name, type, documentation }) => ({ name, type, documentation })),
    ...(resource.operations?.length ? { operation: resource.operations } : {}),
  };
}

/**
 * The server's CapabilityStatement (`GET /fhir/R4/metadata`), built from FHIR_SURFACE alone so it
 * lists exactly the resources, interactions, search parameters and operations the services serve.
 */
export function capabilityStatement(options: CapabilityStatementOptions, surface: readonly FhirResourceSurface[] = FHIR_SURFACE): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date.toISOString(),
    publisher: 'Patient Management',
    kind: 'instance',
    software: { name: 'Patient Management FHIR R4 edge' },
    implementation: {
      description: `FHIR R4 at ${FHIR_BASE}: the gateway routes each resource type to the service that owns it`,
      ...(options.baseUrl ? { url: options.baseUrl } : {}),
    },
    fhirVersion: FHIR_VERSION,
    format: ['json', FHIR_JSON],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' }],
              text: 'Bearer access tokens',
            },
          ],
          description:
            'Every request but this statement needs `Authorization: Bearer <access token>` from POST /auth/login; roles as on the REST routes (BILLING and ANALYST read no clinical data).',
        },
        resource: surface.map(capabilityResource),
      },
    ],
  };
}
