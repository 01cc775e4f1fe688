import type { Request } from 'express';
import { fhirBaseUrl } from './fhir-base-url';

const request = (headers: Record<string, string>, protocol = 'http') => ({ headers, protocol }) as unknown as Request;

describe('fhirBaseUrl', () => {
  it('uses the host and scheme the gateway forwards', () => {
    expect(fhirBaseUrl(request({ host: '127.0.0.1:4003', 'x-forwarded-host': 'ehr.example.org:8443', 'x-forwarded-proto': 'https' }))).toBe('https://ehr.example.org:8443/fhir/R4');
  });

  it('takes the first of a forwarded list', () => {
    expect(fhirBaseUrl(request({ 'x-forwarded-host': 'a.example, b.example', 'x-forwarded-proto': 'https,http' }))).toBe('https://a.example/fhir/R4');
  });

  it('falls back to its own host and protocol', () => {
    expect(fhirBaseUrl(request({ host: '[::1]:4003' }))).toBe('http://[::1]:4003/fhir/R4');
    expect(fhirBaseUrl(request({}, 'https'))).toBe('https://localhost/fhir/R4');
  });

  it('never echoes a host that could smuggle a path or a scheme into links', () => {
    expect(fhirBaseUrl(request({ host: 'evil.example/x?', 'x-forwarded-host': 'evil.example/@x', 'x-forwarded-proto': 'javascript' }))).toBe('http://localhost/fhir/R4');
  });
});
