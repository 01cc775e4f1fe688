import { AppointmentStatuses } from '../appointments/appointment.entity';
import type { AppointmentView } from '../appointments/appointments.repository';
import { FHIR_APPOINTMENT_STATUS, toFhirAppointment } from './fhir-appointment.mapper';

const view: AppointmentView = {
  id: '5f1c2c3e-6d7b-4a8f-9a0b-1c2d3e4f5a6b',
  patientId: '0b0e4d6e-8f7c-4c1e-9a51-2f8f0f6f7a11',
  patientName: null,
  doctorId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  startTime: new Date('2027-03-03T09:00:00Z'),
  endTime: new Date('2027-03-03T09:30:00Z'),
  reason: 'Checkup',
  status: 'SCHEDULED',
  createdAt: new Date('2027-03-01T08:00:00Z'),
  updatedAt: new Date('2027-03-02T08:00:00Z'),
  documentedAt: null,
  bookedBy: null,
};

describe('toFhirAppointment', () => {
  it('maps every status of ours to a distinct FHIR status', () => {
    const mapped = AppointmentStatuses.map((status) => FHIR_APPOINTMENT_STATUS[status]);
    expect(mapped).toEqual(['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow']);
  });

  it('names the patient without a display when the directory does not know the name yet', () => {
    expect(toFhirAppointment(view)).toEqual({
      resourceType: 'Appointment',
      id: view.id,
      meta: { lastUpdated: '2027-03-02T08:00:00.000Z' },
      status: 'booked',
      reasonCode: [{ text: 'Checkup' }],
      start: '2027-03-03T09:00:00.000Z',
      end: '2027-03-03T09:30:00.000Z',
      created: '2027-03-01T08:00:00.000Z',
      participant: [
        { actor: { reference: `Patient/${view.patientId}`, type: 'Patient' }, required: 'required', status: 'accepted' },
        { actor: { reference: `Practitioner/${view.doctorId}`, type: 'Practitioner' }, required: 'required', status: 'accepted' },
      ],
    });
  });
});
