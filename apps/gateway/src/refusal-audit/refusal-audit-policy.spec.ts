import { auditDenialOf, patientAccessOf } from './refusal-audit-policy';

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
    expect(patientAccessOf(method, path)).toEqual({ action, patientId });
  });

  it.each([
    ['GET', '/api/appointments'],
    ['GET', '/api/patientsx'],
    ['PATCH', `/api/patients/${id}`],
    ['GET', `/api/patients/${id}/restore`],
    ['GET', `/api/patients/${id}/a/b`],
  ])('%s %s is no access to patient records', (method, path) => {
    expect(patientAccessOf(method, path)).toBeUndefined();
  });
});

describe('auditDenialOf', () => {
  const base = { eventId: 'e-1', at: new Date(1_700_000_000_000), method: 'DELETE', path: `/api/patients/${id}`, requestId: 'r-1', sourceIp: '127.0.0.9' };

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
    });
    expect(auditDenialOf({ ...base, status: 401 })).toMatchObject({ actor_id: '', actor_role: '', status: 401 });
  });

  it('ignores refusals off the patient routes', () => {
    expect(auditDenialOf({ ...base, status: 401, path: '/api/billing/accounts' })).toBeUndefined();
  });
});
