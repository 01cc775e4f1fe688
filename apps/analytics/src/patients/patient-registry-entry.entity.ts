import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Every patient analytics has heard of, and whether it is deleted: the source of the total. */
@Entity({ name: 'patient_registry' })
@Index('ix_patient_registry_present', ['patientId'], { where: 'NOT deleted' })
export class PatientRegistryEntry {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'boolean' })
  deleted: boolean;

  @Column({ name: 'last_event_at', type: 'timestamptz' })
  lastEventAt: Date;
}
