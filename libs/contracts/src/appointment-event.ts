import { messageType } from './proto-files';
import { UndecodableEventError } from './patient-event';

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
export interface AppointmentEvent {
  event_id: string;
  event_type: AppointmentEventType;
  appointment_id: string;
  patient_id: string;
  doctor_id: string;
  start_time: number;
  end_time: number;
  status: string;
  occurred_at: number;
}

const type = () => messageType('appointment_event.proto', 'appointment.events.AppointmentEvent');

export function encodeAppointmentEvent(event: AppointmentEvent): Buffer {
  const t = type();
  return Buffer.from(t.encode(t.fromObject(event)).finish());
}

export function decodeAppointmentEvent(bytes: Buffer): AppointmentEvent {
  let raw: Record<string, unknown>;
  try {
    raw = type().toObject(type().decode(bytes), { longs: Number, defaults: true });
  } catch (error) {
    throw new UndecodableEventError(`Not an AppointmentEvent: ${(error as Error).message}`);
  }
  if (!AppointmentEventTypes.includes(raw.event_type as AppointmentEventType)) {
    throw new UndecodableEventError(`Unknown AppointmentEvent event_type "${String(raw.event_type)}"`);
  }
  if (!raw.appointment_id || !raw.event_id) throw new UndecodableEventError('AppointmentEvent without appointment_id or event_id');
  return raw as unknown as AppointmentEvent;
}
