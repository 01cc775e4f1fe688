import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many patient events of each kind happened on one UTC day. */
@Entity({ name: 'patient_daily_counts' })
export class PatientDailyCount {
  /** `YYYY-MM-DD`, UTC. */
  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'integer', default: 0 })
  created: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  deleted: number;
}
