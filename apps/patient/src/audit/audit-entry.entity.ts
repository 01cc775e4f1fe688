import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AuditActions = ['READ', 'LIST', 'CREATE', 'UPDATE', 'DELETE', 'RESTORE'] as const;
export type AuditAction = (typeof AuditActions)[number];
/** EMERGENCY: a read of a restricted record by break the glass (the entry carries the reason given). */
export const AuditOutcomes = ['ALLOWED', 'DENIED', 'EMERGENCY'] as const;
export type AuditOutcome = (typeof AuditOutcomes)[number];

/**
 * Who did what to which patient records, allowed or refused. Append-only: a trigger (made by the
 * migration) refuses UPDATE, DELETE and TRUNCATE.
 */
@Entity({ name: 'audit_entries' })
@Index('ix_audit_entries_at', { synchronize: false })
@Index('ix_audit_entries_patient_ids', { synchronize: false })
@Index('ix_audit_entries_actor_id_at', { synchronize: false })
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** When the request was handled (not when the entry was written, which is batched). */
  @Column({ type: 'timestamptz' })
  at: Date;

  /** Null for a refusal without a valid token (401). */
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'text', nullable: true })
  actorRole: string | null;

  @Column({ type: 'text' })
  action: AuditAction;

  @Column({ name: 'patient_ids', type: 'uuid', array: true, default: () => "'{}'" })
  patientIds: string[];

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'source_ip', type: 'text', nullable: true })
  sourceIp: string | null;

  @Column({ type: 'text' })
  outcome: AuditOutcome;

  /** The kind of clinical entry the access was about (`allergies`...); null for the patient record itself. */
  @Column({ name: 'entry_kind', type: 'text', nullable: true })
  entryKind?: string | null;

  /** The id of the event the entry came from (gateway refusals on Kafka); unique, so redelivery writes once. */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId?: string | null;

  /** Why the glass was broken, for an EMERGENCY entry; sealed at rest like the clinical record. */
  @Column({ type: 'text', nullable: true })
  reason?: string | null;
}

/** An entry before it is stored. */
export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditQuery {
  patientId?: string;
  actorId?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Counts from 1. */
  page: number;
  size: number;
}
