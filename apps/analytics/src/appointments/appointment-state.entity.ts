import { Column, Entity, PrimaryColumn } from 'typeorm';

export const AppointmentStatuses = ['SCHEDULED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type AppointmentStatus = (typeof AppointmentStatuses)[number];

/** Where one appointment is counted now: its status, doctor and (UTC) day. */
@Entity({ name: 'appointment_states' })
export class AppointmentState {
  @PrimaryColumn({ name: 'appointment_id', type: 'text' })
  appointmentId: string;

  @Column({ type: 'text' })
  status: AppointmentStatus;

  /** '' when the appointment has no doctor. */
  @Column({ name: 'doctor_id', type: 'text' })
  doctorId: string;

  /** `YYYY-MM-DD` of the start time, UTC. */
  @Column({ type: 'date' })
  day: string;
}
