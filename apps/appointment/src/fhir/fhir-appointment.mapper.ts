import type { Appointment as FhirAppointment } from '@medplum/fhirtypes';
import type { AppointmentStatus } from '../appointments/appointment.entity';
import type { AppointmentView } from '../appointments/appointments.repository';

/** Our statuses as FHIR's Appointment.status (http://hl7.org/fhir/R4/valueset-appointmentstatus.html). */
export const FHIR_APPOINTMENT_STATUS: Readonly<Record<AppointmentStatus, NonNullable<FhirAppointment['status']>>> = {
  SCHEDULED: 'booked',
  CHECKED_IN: 'arrived',
  COMPLETED: 'fulfilled',
  CANCELLED: 'cancelled',
  NO_SHOW: 'noshow',
};

/**
 * An appointment as a FHIR R4 Appointment: the one place the two models meet. The patient and the
 * doctor are its participants (`Patient/{id}`, `Practitioner/{doctorId}`); the reason is the
 * reason's text.
 */
export function toFhirAppointment(appointment: AppointmentView): FhirAppointment & { id: string } {
  return {
    resourceType: 'Appointment',
    id: appointment.id,
    meta: { lastUpdated: appointment.updatedAt.toISOString() },
    status: FHIR_APPOINTMENT_STATUS[appointment.status],
    ...(appointment.reason ? { reasonCode: [{ text: appointment.reason }] } : {}),
    start: appointment.startTime.toISOString(),
    end: appointment.endTime.toISOString(),
    created: appointment.createdAt.toISOString(),
    participant: [
      {
        actor: { reference: `Patient/${appointment.patientId}`, type: 'Patient', ...(appointment.patientName ? { display: appointment.patientName } : {}) },
        required: 'required',
        status: 'accepted',
      },
      {
        actor: { reference: `Practitioner/${appointment.doctorId}`, type: 'Practitioner' },
        required: 'required',
        status: 'accepted',
      },
    ],
  };
}
