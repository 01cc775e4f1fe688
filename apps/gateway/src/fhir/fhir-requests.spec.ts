import { fhirRefusal, isFhirPath, isGatewayFhirRequest } from './fhir-requests';

const id = '3f0c2a4e-8b1d-4c55-9a7e-2d6f1b0c9e11';

describe('FHIR requests at the gateway', () => {
  it.each(['/fhir', '/fhir/R4/Patient', '/FHIR/r4/metadata?x=1'])('calls %s a FHIR path', (url) => {
    expect(isFhirPath(url)).toBe(true);
  });

  it.each(['/fhirx', '/api/fhir/R4', '/'])('calls %s no FHIR path', (url) => {
    expect(isFhirPath(url)).toBe(false);
  });

  it('answers only GET and HEAD of the metadata itself', () => {
    expect(isGatewayFhirRequest('GET', '/fhir/R4/metadata')).toBe(true);
    expect(isGatewayFhirRequest('head', '/fhir/r4/METADATA?_format=json')).toBe(true);
    expect(isGatewayFhirRequest('POST', '/fhir/R4/metadata')).toBe(false);
    expect(isGatewayFhirRequest('GET', '/fhir/R4/metadata/x')).toBe(false);
  });

  it.each([
    ['GET', '/fhir/R4/Appointment?patient=x'],
    ['GET', `/fhir/R4/Appointment/${id}`],
    ['HEAD', `/fhir/R4/Appointment/${id}`],
    ['GET', '/fhir/R4/Appointment/'],
    ['POST', '/fhir/R4/Patient'],
    ['GET', `/fhir/R4/Patient/${id}/$everything`],
    ['GET', '/fhir/r4/observation?patient=x'],
    ['GET', '/fhir/R4/metadata'],
  ])('lets %s %s through', (method, url) => {
    expect(fhirRefusal(method, url)).toBeUndefined();
  });

  it.each([
    ['GET', '/fhir', 'FHIR R4 is served at /fhir/R4'],
    ['GET', '/fhir/R5/Patient', 'FHIR R4 is served at /fhir/R4'],
    ['GET', '/fhir/R4/', 'The resource type is not served here'],
    ['GET', '/fhir/R4/Encounter', 'The resource type is not served here'],
    ['GET', `/fhir/R4/Encounter/${id}`, 'The resource type is not served here'],
    ['GET', `/fhir/R4/Appointment/${id}/_history`, 'Appointment has no such interaction'],
    ['GET', `/fhir/R4/Appointment/${id}/$everything`, 'Appointment has no such interaction'],
    ['GET', `/fhir/R4/Patient/${id}/$match`, 'Patient has no such interaction'],
    ['GET', `/fhir/R4/Patient/${id}/$everything/x`, 'Patient has no such interaction'],
  ])('answers %s %s 404', (method, url, detail) => {
    expect(fhirRefusal(method, url)).toEqual({ status: 404, detail: expect.stringContaining(detail) });
  });

  it.each([
    ['POST', '/fhir/R4/Appointment', 'GET, HEAD'],
    ['PUT', `/fhir/R4/Appointment/${id}`, 'GET, HEAD'],
    ['DELETE', `/fhir/R4/Patient/${id}`, 'GET, HEAD'],
    ['PATCH', '/fhir/R4/Condition', 'GET, HEAD, POST'],
    ['POST', `/fhir/R4/Patient/${id}/$everything`, 'GET, HEAD'],
    ['POST', '/fhir/R4/metadata', 'GET, HEAD'],
  ])('answers %s %s 405, allowing %s', (method, url, allow) => {
    expect(fhirRefusal(method, url)).toEqual({ status: 405, detail: expect.any(String), allow });
  });
});
