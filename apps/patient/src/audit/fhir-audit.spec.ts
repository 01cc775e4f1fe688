import { auditedRoute } from './audited-routes';
import { fhirPatientIdsOf } from './audited';

const P1 = '123e4567-e89b-12d3-a456-426614174000';
const P2 = '223e4567-e89b-12d3-a456-426614174000';
const ENTRY = '323e4567-e89b-12d3-a456-426614174000';

describe('the audit of FHIR routes', () => {
  it('audits each FHIR route with its action and the kind of entry its resource carries', () => {
    expect(auditedRoute('GET', '/fhir/R4/Patient')).toEqual({ action: 'LIST' });
    expect(auditedRoute('POST', '/fhir/R4/Patient')).toEqual({ action: 'CREATE' });
    expect(auditedRoute('GET', '/fhir/R4/Patient/:id/$everything')).toEqual({ action: 'READ', entryKind: 'record' });
    expect(auditedRoute('GET', '/fhir/R4/Observation/:id')).toEqual({ action: 'READ', entryKind: 'vitals' });
    expect(auditedRoute('GET', '/fhir/R4/AllergyIntolerance')).toEqual({ action: 'LIST', entryKind: 'allergies' });
    expect(auditedRoute('POST', '/fhir/R4/MedicationStatement')).toEqual({ action: 'CREATE', entryKind: 'medications' });
  });

  it("takes the patients from the answer: each Patient and each clinical resource's patient in a Bundle, once", () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Patient', id: P1 } },
        { resource: { resourceType: 'Condition', id: ENTRY, subject: { reference: `Patient/${P1}` } } },
        { resource: { resourceType: 'AllergyIntolerance', id: ENTRY, patient: { reference: `Patient/${P2.toUpperCase()}` } } },
        { resource: { resourceType: 'Appointment', id: 'a1' } },
        { resource: { resourceType: 'Observation', id: ENTRY, subject: { reference: 'Group/1' } } },
      ],
    };
    expect(fhirPatientIdsOf(bundle, {})).toEqual([P1, P2]);
    expect(fhirPatientIdsOf({ resourceType: 'Bundle' }, {})).toEqual([]);
    expect(fhirPatientIdsOf({ resourceType: 'Observation', id: ENTRY, subject: { reference: `Patient/${P1}` } }, {})).toEqual([P1]);
  });

  it("without an answer, takes the searched patient or the Patient in the path, never a clinical resource's own id", () => {
    expect(fhirPatientIdsOf(undefined, { query: { patient: `Patient/${P1}` }, params: {}, routePath: '/fhir/R4/Condition' })).toEqual([P1]);
    expect(fhirPatientIdsOf(undefined, { query: { patient: P2 }, routePath: '/fhir/R4/Condition' })).toEqual([P2]);
    expect(fhirPatientIdsOf(undefined, { query: {}, params: { id: P1 }, routePath: '/fhir/R4/Patient/:id/$everything' })).toEqual([P1]);
    expect(fhirPatientIdsOf(undefined, { query: {}, params: { id: ENTRY }, routePath: '/fhir/R4/Condition/:id' })).toEqual([]);
    expect(fhirPatientIdsOf(undefined, { query: { patient: 'nobody' }, routePath: '/fhir/R4/Condition' })).toEqual([]);
    // A refused or failed create: the patient of the posted resource.
    const posted = { resourceType: 'Condition', subject: { reference: `Patient/${P2}` } };
    expect(fhirPatientIdsOf(undefined, { query: {}, routePath: '/fhir/R4/Condition', posted })).toEqual([P2]);
    expect(fhirPatientIdsOf(undefined, { query: {}, routePath: '/fhir/R4/Condition', posted: 'not an object' })).toEqual([]);
  });
});
