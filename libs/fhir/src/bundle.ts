import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';

/** One resource of a searchset: a `match` of the search, or an `include` that comes with the matches ($everything). */
export interface SearchsetEntry {
  readonly resource: Resource;
  readonly mode?: 'match' | 'include';
}

export interface SearchsetPage {
  /** The server's base URL, `https://host/fhir/R4`: each entry's fullUrl is `{base}/{type}/{id}`. */
  readonly base: string;
  readonly entries: readonly SearchsetEntry[];
  /** Every match on all pages; left out when the search is capped and the count would be a guess. */
  readonly total?: number;
  /** The URL of this page. */
  readonly self: string;
  /** The URL of the next page, when there is one. */
  readonly next?: string;
}

/** A searchset Bundle (http://hl7.org/fhir/R4/bundle.html): the page's resources with absolute fullUrls, and its links. */
export function searchsetBundle({ base, entries, total, self, next }: SearchsetPage): Bundle {
  const link: BundleLink[] = [{ relation: 'self', url: self }];
  if (next) link.push({ relation: 'next', url: next });
  const entry: BundleEntry[] = entries.map(({ resource, mode = 'match' }) => ({
    fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode },
  }));
  return { resourceType: 'Bundle', type: 'searchset', ...(total === undefined ? {} : { total }), link, ...(entry.length ? { entry } : {}) };
}
