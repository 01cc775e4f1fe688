import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What this service knows about a patient, as last told by the `patient` topic: only what it
 * uses (the name shown with appointments, whether the patient is deleted), never the email.
 */
@Entity({ name: 'patients_directory' })
export class PatientDirectoryEntry {
  @PrimaryColumn({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'boolean', default: false })
  deleted: boolean;

  /** occurred_at of the newest event applied; null when no applied event carried one. */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt: Date | null;
}
