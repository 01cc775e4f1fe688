import type { Bundle, Resource } from '@medplum/fhirtypes';

// Private to the appointment service until the shared Bundle builder (libs/fhir/bundle.ts, from the
// fhir-patient work) is merged: then use that one.

export interface SearchPage<T extends Resource & { id: string }> {
  /** Absolute base of the FHIR endpoint, e.g. `https://host/fhir/R4`. */
  readonly baseUrl: string;
  readonly resources: readonly T[];
  /** Every match, across pages; undefined when the search was capped and it is not known. */
  readonly total?: number;
  /** `Appointment?patient=…` of this page and of the next one (undefined on the last page). */
  readonly self: string;
  readonly next?: string;
}

/** A `searchset` Bundle: one page of matches with `total`, and `self`/`next` links a client follows. */
export function searchsetBundle<T extends Resource & { id: string }>(page: SearchPage<T>): Bundle<T> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(page.total === undefined ? {} : { total: page.total }),
    link: [
      { relation: 'self', url: `${page.baseUrl}/${page.self}` },
      ...(page.next ? [{ relation: 'next', url: `${page.baseUrl}/${page.next}` }] : []),
    ],
    entry: page.resources.map((resource) => ({
      fullUrl: `${page.baseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' as const },
    })),
  };
}
