import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many appointments of one doctor on one UTC day are in one status. */
@Entity({ name: 'appointment_daily_counts' })
export class AppointmentDailyCount {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_appointment_daily_counts' })
  day: string;

  @PrimaryColumn({ name: 'doctor_id', type: 'text', primaryKeyConstraintName: 'pk_appointment_daily_counts' })
  doctorId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_appointment_daily_counts' })
  status: string;

  @Column({ type: 'integer', default: 0 })
  count: number;
}
