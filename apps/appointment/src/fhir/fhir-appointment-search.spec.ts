import { parseAppointmentSearch } from './fhir-appointment-search';
import { InvalidFhirSearchError } from './fhir-appointments.errors';

const PATIENT = '0b0e4d6e-8f7c-4c1e-9a51-2f8f0f6f7a11';

describe('parseAppointmentSearch', () => {
  it('reads the patient (reference or bare id), and defaults the page', () => {
    expect(parseAppointmentSearch({ patient: `Patient/${PATIENT.toUpperCase()}` })).toEqual({ patientId: PATIENT, count: 20, offset: 0, dates: [] });
    expect(parseAppointmentSearch({ patient: PATIENT, _count: '5', _offset: '10', _format: 'json' })).toMatchObject({ count: 5, offset: 10 });
  });

  it.each([
    ['2027-03-03', '2027-03-03T00:00:00.000Z', '2027-03-04T00:00:00.000Z'],
    ['eq2027-03-03', '2027-03-03T00:00:00.000Z', '2027-03-04T00:00:00.000Z'],
    ['ge2027-03-03', '2027-03-03T00:00:00.000Z', undefined],
    ['le2027-03-03', undefined, '2027-03-04T00:00:00.000Z'],
    [['ge2027-03-01', 'le2027-03-31', 'ge2027-03-05'], '2027-03-05T00:00:00.000Z', '2027-04-01T00:00:00.000Z'],
    [['le2027-03-31', 'le2027-03-10'], undefined, '2027-03-11T00:00:00.000Z'],
  ])('reads date=%s as a start in [%s, %s)', (date, from, to) => {
    const search = parseAppointmentSearch({ patient: PATIENT, date });
    expect({ from: search.from?.toISOString(), to: search.to?.toISOString() }).toEqual({ from, to });
  });

  it.each([
    [{}, 'patient'],
    [{ patient: '' }, 'patient'],
    [{ patient: 'Patient/42' }, 'patient'],
    [{ patient: [PATIENT, PATIENT] }, 'patient'],
    [{ patient: { id: PATIENT } }, 'patient'],
    [{ patient: PATIENT, date: '2027-13-01' }, 'date'],
    [{ patient: PATIENT, date: 'lt2027-03-01' }, 'date'],
    [{ patient: PATIENT, date: '2027-03-01T10:00:00Z' }, 'date'],
    [{ patient: PATIENT, _count: '0' }, '_count'],
    [{ patient: PATIENT, _count: '1.5' }, '_count'],
    [{ patient: PATIENT, _offset: '-1' }, '_offset'],
    [{ patient: PATIENT, practitioner: 'x' }, 'practitioner'],
  ])('refuses %j naming %s', (query, field) => {
    let error: unknown;
    try {
      parseAppointmentSearch(query);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidFhirSearchError);
    expect((error as InvalidFhirSearchError).field).toBe(field);
  });
});
