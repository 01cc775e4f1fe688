import type { Request } from 'express';
import { fhirBaseOf, searchPage } from './fhir-links';

const request = (host: string, originalUrl: string, protocol = 'https') => ({ host, protocol, originalUrl }) as unknown as Request;

describe('FHIR links', () => {
  it('builds the base from the scheme and host the caller reached us at, never from an unsafe host', () => {
    expect(fhirBaseOf(request('clinic.example:8443', '/'))).toBe('https://clinic.example:8443/fhir/R4');
    expect(fhirBaseOf(request('[::1]:4004', '/', 'http'))).toBe('http://[::1]:4004/fhir/R4');
    expect(fhirBaseOf(request('evil.example/x?', '/'))).toBe('https://localhost/fhir/R4');
  });

  it('links the next page with every parameter kept, repeated ones too, while there are more', () => {
    const url = '/fhir/R4/Appointment?patient=Patient/p1&date=ge2027-03-01&date=le2027-03-31&_count=2';
    const bundle = searchPage(request('h', url), [{ resource: { resourceType: 'Appointment', id: 'a1' } as never }], { offset: 0, size: 2 }, 5);
    expect(bundle.link).toEqual([
      { relation: 'self', url: `https://h${url}` },
      { relation: 'next', url: 'https://h/fhir/R4/Appointment?patient=Patient%2Fp1&date=ge2027-03-01&date=le2027-03-31&_count=2&_offset=2' },
    ]);
    expect(bundle.total).toBe(5);
    expect(bundle.entry?.[0].fullUrl).toBe('https://h/fhir/R4/Appointment/a1');
  });

  it('has no next link on the last page, nor when the total is unknown (a capped search)', () => {
    const url = '/fhir/R4/Patient?name=ada&_count=2&_offset=4';
    expect(searchPage(request('h', url), [], { offset: 4, size: 2 }, 5).link).toEqual([{ relation: 'self', url: `https://h${url}` }]);
    const capped = searchPage(request('h', url), [], { offset: 0, size: 2 }, undefined);
    expect(capped.link).toHaveLength(1);
    expect(capped).not.toHaveProperty('total');
  });
});
