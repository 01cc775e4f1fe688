import { FHIR_BASE, type SearchsetEntry, searchsetBundle, withQuery } from '@pm/fhir';
import type { Bundle } from '@medplum/fhirtypes';
import type { Request } from 'express';
import type { FhirPaging } from './fhir-search';

/** The server's base URL as the caller reached it (`http://host/fhir/R4`): the gateway forwards FHIR paths unchanged. */
export function fhirBaseOf(request: Request): string {
  return `${request.protocol}://${request.get('host')}${FHIR_BASE}`;
}

/**
 * A page of a search as a searchset Bundle: `self` is the request, `next` the same search with
 * `_offset` one page on while there are more; `total` only when it is exact (`undefined` when capped).
 */
export function searchPage(request: Request, entries: SearchsetEntry[], paging: FhirPaging, total: number | undefined): Bundle {
  const self = `${request.protocol}://${request.get('host')}${request.originalUrl}`;
  const params = Object.fromEntries(new URL(self).searchParams);
  const hasMore = paging.offset + paging.size < (total ?? 0);
  const next = hasMore ? withQuery(self, { ...params, _count: paging.size, _offset: paging.offset + paging.size }) : undefined;
  return searchsetBundle({ base: fhirBaseOf(request), entries, total, self, next });
}
