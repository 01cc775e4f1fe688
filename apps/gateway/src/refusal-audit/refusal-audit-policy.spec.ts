import { auditDenialOf, fhirPatientAccessOf, patientAccessOf } from './refusal-audit-policy';

const id = '3f0c2a4e-8b1d-4c55-9a7e-2d6f1b0c9e11';

describe('patientAccessOf', () => {
  it.each([
    ['GET', '/api/patients', 'LIST', ''],
    ['POST', '/api/patients', 'CREATE', ''],
    ['GET', `/api/patients/${id}`, 'READ', id],
    ['PUT', `/api/patients/${id}`, 'UPDATE', id],
    ['DELETE', `/api/patients/${id}`, 'DELETE', id],
    ['POST', `/api/patients/${id}/restore`, 'RESTORE', id],
    ['DELETE', '/api/patients/not-a-uuid', 'DELETE', ''],
  ])('%s %s is %s of patient %p', (method, path, action, patientId) => {
    expect(patientAccessOf(method, path)).toEqual({ action, patientId, entryKind: '' });
  });

  const entry = '9b2d1c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e';
  it.each([
    ['GET', `/api/patients/${id}/record`, 'READ', 'record'],
    ['GET', `/api/patients/${id}/allergies`, 'LIST', 'allergies'],
    ['POST', `/api/patients/${id}/conditions`, 'CREATE', 'conditions'],
    ['GET', `/api/patients/${id}/medications/${entry}`, 'READ', 'medications'],
    ['PUT', `/api/patients/${id}/vitals/${entry}`, 'UPDATE', 'vitals'],
    ['POST', `/api/patients/${id}/notes/${entry}/entered-in-error`, 'UPDATE', 'notes'],
    ['GET', `/api/patients/${id}/notes/${entry}/history`, 'READ', 'notes'],
    ['GET', `/api/patients/${id}/restriction`, 'READ', 'restriction'],
    ['POST', `/api/patients/${id}/restriction`, 'UPDATE', 'restriction'],
    ['DELETE', `/api/patients/${id}/restriction`, 'UPDATE', 'restriction'],
    ['GET', `/api/patients/${id}/care-team`, 'READ', 'care-team'],
    ['POST', `/api/patients/${id}/care-team`, 'UPDATE', 'care-team'],
    ['DELETE', `/api/patients/${id}/care-team/${entry}`, 'UPDATE', 'care-team'],
  ])('%s %s is %s of a %s entry', (method, path, action, entryKind) => {
    expect(patientAccessOf(method, path)).toEqual({ action, patientId: id, entryKind });
  });

  it.each([
    ['GET', '/api/appointments'],
    ['GET', '/api/patientsx'],
    ['PATCH', `/api/patients/${id}`],
    ['GET', `/api/patients/${id}/restore`],
    ['GET', `/api/patients/${id}/a/b`],
    ['GET', `/api/patients/${id}/prescriptions`],
    ['DELETE', `/api/patients/${id}/allergies/${id}`],
    ['POST', `/api/patients/${id}/record`],
    ['GET', `/api/patients/${id}/notes/${id}/entered-in-error`],
    ['GET', `/api/patients/${id}/notes/${id}/history/more`],
    ['PUT', `/api/patients/${id}/restriction`],
    ['GET', `/api/patients/${id}/restriction/x`],
    ['DELETE', `/api/patients/${id}/care-team`],
    ['GET', `/api/patients/${id}/care-team/${id}`],
  ])('%s %s is no access to patient records', (method, path) => {
    expect(patientAccessOf(method, path)).toBeUndefined();
  });
});

describe('auditDenialOf', () => {
  const base = { eventId: 'e-1', at: new Date(1_700_000_000_000), method: 'DELETE', path: `/api/patients/${id}`, requestId: 'r-1', sourceIp: '127.0.0.9' };

  it('names the kind of clinical entry a refused request was about', () => {
    expect(auditDenialOf({ ...base, method: 'GET', path: `/api/patients/${id}/allergies`, status: 403, actor: { userId: 'analyst-1', role: 'ANALYST' } })).toMatchObject({
      action: 'LIST',
      patient_id: id,
      entry_kind: 'allergies',
    });
  });

  it('names the actor of a 403 and leaves it empty for a 401', () => {
    expect(auditDenialOf({ ...base, status: 403, actor: { userId: 'doctor-1', role: 'DOCTOR' } })).toEqual({
      event_id: 'e-1',
      occurred_at: 1_700_000_000_000,
      actor_id: 'doctor-1',
      actor_role: 'DOCTOR',
      action: 'DELETE',
      patient_id: id,
      request_id: 'r-1',
      source_ip: '127.0.0.9',
      status: 403,
      entry_kind: '',
    });
    expect(auditDenialOf({ ...base, status: 401 })).toMatchObject({ actor_id: '', actor_role: '', status: 401 });
  });

  it('ignores refusals off the patient routes', () => {
    expect(auditDenialOf({ ...base, status: 401, path: '/api/billing/accounts' })).toBeUndefined();
  });
});

describe('fhirPatientAccessOf', () => {
  const patient = '3f0c2a4e-8b1d-4c55-9a7e-2d6f1b0c9e11';
  const entry = '9b2d1c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e';

  it.each([
    ['GET', '/fhir/R4/Patient', '', 'LIST', '', ''],
    ['POST', '/fhir/R4/Patient', '', 'CREATE', '', ''],
    ['GET', `/fhir/R4/Patient/${patient.toUpperCase()}`, '', 'READ', patient, ''],
    ['GET', '/fhir/R4/Patient/not-a-uuid', '', 'READ', '', ''],
    ['GET', `/fhir/R4/Patient/${patient}/$everything`, '', 'READ', patient, 'record'],
    ['GET', '/fhir/R4/AllergyIntolerance', `patient=Patient/${patient}`, 'LIST', patient, 'allergies'],
    ['GET', '/fhir/R4/Condition', `patient=${patient}&_count=5`, 'LIST', patient, 'conditions'],
    ['GET', '/fhir/R4/MedicationStatement', 'patient=Patient/nope', 'LIST', '', 'medications'],
    ['POST', '/fhir/R4/Observation', '', 'CREATE', '', 'vitals'],
    ['GET', `/fhir/R4/observation/${entry}`, '', 'READ', '', 'vitals'],
  ])('%s %s?%s is %s of patient %p (%p)', (method, path, query, action, patientId, entryKind) => {
    expect(fhirPatientAccessOf(method, path, query)).toEqual({ action, patientId, entryKind });
  });

  it.each([
    ['GET', '/fhir/R4/Appointment'],
    ['GET', `/fhir/R4/Appointment/${entry}`],
    ['GET', '/fhir/R4/metadata'],
    ['GET', '/fhir/R4/'],
    ['GET', '/api/patients'],
    ['PUT', `/fhir/R4/Patient/${patient}`],
    ['DELETE', '/fhir/R4/Condition'],
    ['GET', `/fhir/R4/Patient/${patient}/$match`],
    ['GET', `/fhir/R4/Condition/${entry}/$everything`],
    ['GET', `/fhir/R4/Patient/${patient}/_history/1`],
  ])('%s %s is no access to patient records', (method, path) => {
    expect(fhirPatientAccessOf(method, path)).toBeUndefined();
  });

  it('audits a refusal on a FHIR search with the patient it names', () => {
    const base = { eventId: 'e-1', at: new Date(1_700_000_000_000), requestId: 'req-1', sourceIp: '10.0.0.1' };
    expect(auditDenialOf({ ...base, method: 'GET', path: '/fhir/R4/Observation', query: `patient=Patient/${patient}&code=8867-4`, status: 403, actor: { userId: 'billing-1', role: 'BILLING' } })).toMatchObject({
      action: 'LIST',
      patient_id: patient,
      entry_kind: 'vitals',
      status: 403,
    });
  });
});
