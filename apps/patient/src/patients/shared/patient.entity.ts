import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A patient record. Birth and registration dates are calendar dates kept as `YYYY-MM-DD` strings
 * end to end, so no time zone can shift them by a day (the birth date is encrypted text at rest).
 */
@Entity({ name: 'patients' })
// Expression and partial indexes (lower(...), WHERE deleted_at IS NULL) are made by the
// migrations; named here so the entity lists them.
@Index('uq_patients_email_lower', { synchronize: false })
@Index('ix_patients_name_lower_id', { synchronize: false })
@Index('ix_patients_birth_date_index', { synchronize: false })
export class Patient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 255 })
  email: string;

  /** Stored encrypted (AES-256-GCM, `v1:<keyId>:...`); the repository decrypts it. */
  @Column({ type: 'text' })
  address: string;

  /** Stored encrypted like address; `YYYY-MM-DD` once decrypted. */
  @Column({ name: 'date_of_birth', type: 'text' })
  dateOfBirth: string;

  /** HMAC of the birth date, to find likely duplicates without decrypting; never read back. */
  @Column({ name: 'birth_date_index', type: 'text', nullable: true, select: false })
  birthDateIndex?: string | null;

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

/** A search by what FHIR's Patient search names: each given criterion must hold. */
export interface PatientCriteria {
  /** Typo-tolerant, as `searchValue` (name or email). */
  name?: string;
  /** The exact address, any case. */
  email?: string;
  /** The exact birth date (YYYY-MM-DD): matched on its blind index, the date itself being encrypted. */
  birthDate?: string;
  /** How many matches to skip. */
  offset: number;
  size: number;
}

/** A page of a criteria search; `capped` when a name search hit MAX_RANKED_MATCHES, so `total` is a floor. */
export interface PatientCriteriaPage {
  patients: Patient[];
  total: number;
  capped: boolean;
}
