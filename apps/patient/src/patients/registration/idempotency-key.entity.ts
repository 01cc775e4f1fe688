import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A create made under an `Idempotency-Key`: the key (per caller), what was asked and which patient
 * it made. The primary key is what lets only one of two simultaneous retries create. A key lives
 * IDEMPOTENCY_KEY_TTL_HOURS from `createdAt`, then is forgotten and purged.
 */
@Entity({ name: 'patient_idempotency_keys' })
// Made by the migration; named here so the entity lists it.
@Index('ix_patient_idempotency_keys_created_at', { synchronize: false })
export class IdempotencyKey {
  @PrimaryColumn({ name: 'actor_id', type: 'text', primaryKeyConstraintName: 'pk_patient_idempotency_keys' })
  actorId: string;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text', primaryKeyConstraintName: 'pk_patient_idempotency_keys' })
  key: string;

  /** SHA-256 of the request's fields, so the same key with another body is recognised. */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
