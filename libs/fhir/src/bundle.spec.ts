import { searchsetBundle } from './bundle';

describe('searchsetBundle', () => {
  const base = 'https://example.org/fhir/R4';

  it('gives each entry an absolute fullUrl and a search mode, and links self and next', () => {
    const bundle = searchsetBundle({
      base,
      entries: [{ resource: { resourceType: 'Patient', id: 'p1' } }, { resource: { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } } as never, mode: 'include' }],
      total: 7,
      self: `${base}/Patient?_count=2`,
      next: `${base}/Patient?_count=2&_offset=2`,
    });
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 7,
      link: [
        { relation: 'self', url: `${base}/Patient?_count=2` },
        { relation: 'next', url: `${base}/Patient?_count=2&_offset=2` },
      ],
      entry: [
        { fullUrl: `${base}/Patient/p1`, resource: { resourceType: 'Patient', id: 'p1' }, search: { mode: 'match' } },
        { fullUrl: `${base}/Condition/c1`, resource: expect.objectContaining({ id: 'c1' }), search: { mode: 'include' } },
      ],
    });
  });

  it('leaves out total when it is not known, and entry and next when there are none', () => {
    expect(searchsetBundle({ base, entries: [], self: `${base}/Patient` })).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'self', url: `${base}/Patient` }],
    });
  });
});
