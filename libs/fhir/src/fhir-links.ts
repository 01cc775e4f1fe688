import type { Bundle } from '@medplum/fhirtypes';
import type { Request } from 'express';
import { type SearchsetEntry, searchsetBundle } from './bundle';
import { FHIR_BASE } from './fhir-surface';

/** Which page of a search: how many matches it skips and how many it holds at most. */
export interface FhirPaging {
  readonly offset: number;
  readonly size: number;
}

// A host name or address with an optional port: anything else is not echoed into links.
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Where the caller reached us (`https://clinic.example`): the gateway forwards FHIR paths
 * unchanged and names the client's scheme and host in X-Forwarded-Proto/Host, which Express
 * reads from TRUSTED_PROXIES only (req.protocol, req.host); a host that is not one is not echoed.
 */
function originOf(request: Request): string {
  const host = request.host;
  return `${request.protocol}://${host && SAFE_HOST.test(host) ? host : 'localhost'}`;
}

/** The server's base URL as the caller reached it (`https://host/fhir/R4`), for Location, fullUrl and links. */
export function fhirBaseOf(request: Request): string {
  return `${originOf(request)}${FHIR_BASE}`;
}

/**
 * A page of a search as a searchset Bundle: `self` is the request, `next` the same search (every
 * parameter kept, repeated ones too) with `_offset` one page on while there are more; `total`
 * only when it is exact (`undefined` when capped).
 */
export function searchPage(request: Request, entries: SearchsetEntry[], paging: FhirPaging, total: number | undefined): Bundle {
  const self = `${originOf(request)}${request.originalUrl}`;
  let next: string | undefined;
  if (paging.offset + paging.size < (total ?? 0)) {
    const url = new URL(self);
    url.searchParams.set('_count', String(paging.size));
    url.searchParams.set('_offset', String(paging.offset + paging.size));
    next = url.toString();
  }
  return searchsetBundle({ base: fhirBaseOf(request), entries, total, self, next });
}
