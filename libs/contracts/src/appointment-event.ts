import { EventCodec, EventEnvelope } from './event-codec';

export const AppointmentEventTypes = [
  'APPOINTMENT_SCHEDULED',
  'APPOINTMENT_RESCHEDULED',
  'APPOINTMENT_CHECKED_IN',
  'APPOINTMENT_COMPLETED',
  'APPOINTMENT_CANCELLED',
  'APPOINTMENT_NO_SHOW',
] as const;
export type AppointmentEventType = (typeof AppointmentEventTypes)[number];

/** `appointment.events.AppointmentEvent` (proto/appointment_event.proto); times in epoch ms. */
export interface AppointmentEvent extends EventEnvelope<AppointmentEventType> {
  appointment_id: string;
  patient_id: string;
  doctor_id: string;
  start_time: number;
  end_time: number;
  status: string;
  /** The user id of who booked the appointment; empty when not known (booked before it was recorded). */
  booked_by?: string;
}

const codec = new EventCodec<AppointmentEvent>('appointment_event.proto', 'appointment.events.AppointmentEvent');

export const encodeAppointmentEvent = (event: AppointmentEvent): Buffer => codec.encode(event);
export const decodeAppointmentEvent = (bytes: Buffer): AppointmentEvent =>
  codec.decodeChecked(bytes, { article: 'an', name: 'AppointmentEvent', eventTypes: AppointmentEventTypes, required: ['appointment_id', 'event_id'] });
