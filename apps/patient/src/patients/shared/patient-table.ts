import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@pm/platform';
import { DataSource, QueryFailedError } from 'typeorm';
import { FieldCipher } from '../../crypto/field-cipher';
import { Patient } from './patient.entity';
import { PatientEmailTakenError } from './patient.errors';

const EMAIL_UNIQUE_INDEX = 'uq_patients_email_lower';

// Dates leave PostgreSQL as text, so no driver or time zone turns them into instants. Address and
// birth date are ciphertext (text), decrypted by toPatient.
export const PATIENT_COLUMNS = `id, name, email, address, date_of_birth,
  to_char(registered_date, 'YYYY-MM-DD') AS registered_date,
  created_at, updated_at, version`;

/** A `patients` row as PATIENT_COLUMNS selects it. */
export interface PatientRow {
  id: string;
  name: string;
  email: string;
  address: string;
  date_of_birth: string;
  registered_date: string;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/**
 * A failed query without its parameters or the server's message, both of which can quote patient
 * data; what reaches the logs is the SQLSTATE only.
 */
export class PatientStorageError extends Error {
  constructor(readonly sqlState: string | undefined) {
    super(`Patient storage query failed${sqlState ? ` (SQLSTATE ${sqlState})` : ''}`);
  }

  static from(error: unknown): Error {
    if (!(error instanceof QueryFailedError)) return error as Error;
    return new PatientStorageError((error.driverError as { code?: string }).code);
  }
}

function isEmailTaken(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
  return driverError?.code === '23505' && driverError.constraint === EMAIL_UNIQUE_INDEX;
}

/**
 * What every patient repository (registration, records, search) shares about the `patients`
 * table: its SQL runs here, so a failure never carries patient data and a taken email is always
 * PatientEmailTakenError; rows come back decrypted and fields go in encrypted.
 */
@Injectable()
export class PatientTable {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** Runs `sql` in `tx`, or on its own outside any transaction. */
  async query<Row>(sql: string, params: unknown[], tx: Transaction = this.dataSource.manager): Promise<Row[]> {
    try {
      return (await tx.query(sql, params)) as Row[];
    } catch (error) {
      if (isEmailTaken(error)) throw new PatientEmailTakenError();
      throw PatientStorageError.from(error);
    }
  }

  /** A row as a patient, its encrypted fields decrypted. */
  readonly toPatient = (row: PatientRow): Patient =>
    Object.assign(new Patient(), {
      id: row.id,
      name: row.name,
      email: row.email,
      address: this.cipher.decrypt(row.address),
      dateOfBirth: this.cipher.decrypt(row.date_of_birth),
      registeredDate: row.registered_date,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      version: row.version,
    });

  /** The encrypted fields of `details` and the birth date's blind index, as stored. */
  sealed(details: { address: string; dateOfBirth: string }): [address: string, dateOfBirth: string, birthDateIndex: string] {
    return [this.cipher.encrypt(details.address), this.cipher.encrypt(details.dateOfBirth), this.cipher.blindIndex(details.dateOfBirth)];
  }

  /** The birth date's blind index alone (to find likely duplicates without decrypting). */
  birthDateIndex(dateOfBirth: string): string {
    return this.cipher.blindIndex(dateOfBirth);
  }

  /** The live patient with this id, read in `tx` when given. */
  async findLive(id: string, tx?: Transaction): Promise<Patient | null> {
    const [row] = await this.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients WHERE id = $1 AND deleted_at IS NULL`, [id], tx);
    return row ? this.toPatient(row) : null;
  }
}
