import { decodePatientEvent } from '@pm/contracts';
import { patientEvent } from './patient-events.publisher';

const patient = { id: '123e4567-e89b-12d3-a456-426614174000', name: 'John Doe', email: 'john.doe@example.com' };

describe('patientEvent', () => {
  it('is one PatientEvent on `patient`, keyed by the patient id, with the request id header', () => {
    const before = Date.now();
    const event = patientEvent('PATIENT_UPDATED', patient, 'req-42');

    expect(event).toMatchObject({ topic: 'patient', key: patient.id, headers: { 'x-request-id': 'req-42' } });
    const decoded = decodePatientEvent(event.value);
    expect(decoded).toMatchObject({ patientId: patient.id, name: 'John Doe', email: 'john.doe@example.com', event_type: 'PATIENT_UPDATED' });
    expect(decoded.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(decoded.occurred_at).toBeGreaterThanOrEqual(before);
  });

  it('gives every event its own id', () => {
    const first = decodePatientEvent(patientEvent('PATIENT_CREATED', patient, 'r').value).event_id;
    const second = decodePatientEvent(patientEvent('PATIENT_CREATED', patient, 'r').value).event_id;
    expect(first).not.toBe(second);
  });
});
