import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A patient record. Birth and registration dates are calendar dates (`date` columns) kept as
 * `YYYY-MM-DD` strings end to end, so no time zone can shift them by a day.
 */
@Entity({ name: 'patients' })
// Expression and partial indexes (lower(...), WHERE deleted_at IS NULL) are made by the
// migrations; named here so the entity lists them.
@Index('uq_patients_email_lower', { synchronize: false })
@Index('ix_patients_name_lower_id', { synchronize: false })
export class Patient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  email: string;

  @Column({ type: 'text' })
  address: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth: string;

  @Column({ name: 'registered_date', type: 'date' })
  registeredDate: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Set by DELETE (soft): the record is hidden from reads and lists until restored. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  /** Incremented on every update; the ETag of the record. */
  @Column({ type: 'integer', default: 1 })
  version: number;
}

/** The fields a caller supplies for a patient. */
export interface PatientDetails {
  name: string;
  email: string;
  address: string;
  dateOfBirth: string;
  registeredDate: string;
}

export const PatientSortFields = ['name', 'email', 'address', 'dateOfBirth', 'registeredDate'] as const;
export type PatientSortField = (typeof PatientSortFields)[number];
export type SortDirection = 'asc' | 'desc';

export interface PatientListQuery {
  /** Counts from 1. */
  page: number;
  size: number;
  sort: SortDirection;
  sortField: PatientSortField;
  /** Matches name or email, case-insensitively; undefined lists everyone. */
  searchValue?: string;
}

export interface PatientPage {
  patients: Patient[];
  totalElements: number;
}
