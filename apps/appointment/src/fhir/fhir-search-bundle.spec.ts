import { searchsetBundle } from './fhir-search-bundle';

describe('searchsetBundle', () => {
  const appointment = { resourceType: 'Appointment' as const, id: 'a1', status: 'booked' as const, participant: [] };

  it('links the page and the next one, with total, each entry a match with its full URL', () => {
    expect(searchsetBundle({ baseUrl: 'https://h/fhir/R4', resources: [appointment], total: 3, self: 'Appointment?patient=p', next: 'Appointment?patient=p&_offset=1' })).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 3,
      link: [
        { relation: 'self', url: 'https://h/fhir/R4/Appointment?patient=p' },
        { relation: 'next', url: 'https://h/fhir/R4/Appointment?patient=p&_offset=1' },
      ],
      entry: [{ fullUrl: 'https://h/fhir/R4/Appointment/a1', resource: appointment, search: { mode: 'match' } }],
    });
  });

  it('leaves total out when the search was capped, and next out on the last page', () => {
    const bundle = searchsetBundle({ baseUrl: 'https://h/fhir/R4', resources: [], self: 'Appointment?patient=p' });
    expect(bundle).not.toHaveProperty('total');
    expect(bundle.link).toEqual([{ relation: 'self', url: 'https://h/fhir/R4/Appointment?patient=p' }]);
    expect(bundle.entry).toEqual([]);
  });
});
