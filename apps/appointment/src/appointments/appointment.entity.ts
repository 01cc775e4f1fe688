import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const AppointmentStatuses = ['SCHEDULED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type AppointmentStatus = (typeof AppointmentStatuses)[number];
/** Statuses that hold a slot: the overlap constraints only look at these. */
export const ActiveStatuses: readonly AppointmentStatus[] = ['SCHEDULED', 'CHECKED_IN'];

@Entity({ name: 'appointments' })
@Index('ix_appointments_start_time', ['startTime'])
@Index('ix_appointments_patient_id_start_time', ['patientId', 'startTime'])
export class Appointment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ name: 'doctor_id', type: 'uuid' })
  doctorId: string;

  @Column({ name: 'start_time', type: 'timestamptz' })
  startTime: Date;

  @Column({ name: 'end_time', type: 'timestamptz' })
  endTime: Date;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'varchar', length: 16, default: 'SCHEDULED' })
  status: AppointmentStatus;

  /** The user id of who booked it (null for appointments booked before it was recorded). */
  @Column({ name: 'booked_by', type: 'uuid', nullable: true })
  bookedBy: string | null;

  /** When a visit note documented it (the `clinical` topic's VISIT_DOCUMENTED); null until then. */
  @Column({ name: 'documented_at', type: 'timestamptz', nullable: true })
  documentedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
