import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { Patient, PatientDetails, PatientListQuery, PatientPage, PatientSortField } from './patient.entity';
import { PatientEmailTakenError } from './patient.errors';

const EMAIL_UNIQUE_INDEX = 'uq_patients_email_lower';

// Dates leave PostgreSQL as text, so no driver or time zone turns them into instants.
const COLUMNS = `id, name, email, address,
  to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth,
  to_char(registered_date, 'YYYY-MM-DD') AS registered_date,
  created_at, updated_at, version`;

// Text sorts ignore case; the id breaks ties in the same direction so the order is total.
const SORT_EXPRESSIONS: Record<PatientSortField, string> = {
  name: 'lower(name)',
  email: 'lower(email)',
  address: 'lower(address)',
  dateOfBirth: 'date_of_birth',
  registeredDate: 'registered_date',
};

interface PatientRow {
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

function toPatient(row: PatientRow): Patient {
  return Object.assign(new Patient(), {
    id: row.id,
    name: row.name,
    email: row.email,
    address: row.address,
    dateOfBirth: row.date_of_birth,
    registeredDate: row.registered_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  });
}

/** `%term%` for ILIKE with the term's own `%`, `_` and `\` matched literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, '\\$&')}%`;
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

@Injectable()
export class PatientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Throws PatientEmailTakenError when another patient has the email in any case. */
  async insert(details: PatientDetails): Promise<Patient> {
    const rows = await this.run<PatientRow>(
      `INSERT INTO patients (name, email, address, date_of_birth, registered_date)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [details.name, details.email, details.address, details.dateOfBirth, details.registeredDate],
    );
    return toPatient(rows[0]);
  }

  /** Inserts with a given id unless that id or the email exists; null when nothing was inserted. */
  async insertIfAbsent(id: string, details: PatientDetails): Promise<Patient | null> {
    const rows = await this.run<PatientRow>(
      `INSERT INTO patients (id, name, email, address, date_of_birth, registered_date)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [id, details.name, details.email, details.address, details.dateOfBirth, details.registeredDate],
    );
    return rows[0] ? toPatient(rows[0]) : null;
  }

  async findById(id: string): Promise<Patient | null> {
    const rows = await this.run<PatientRow>(`SELECT ${COLUMNS} FROM patients WHERE id = $1`, [id]);
    return rows[0] ? toPatient(rows[0]) : null;
  }

  async list(query: PatientListQuery): Promise<PatientPage> {
    const params: unknown[] = [];
    let where = '';
    if (query.searchValue) {
      params.push(containsPattern(query.searchValue));
      where = `WHERE name ILIKE $1 ESCAPE '\\' OR email ILIKE $1 ESCAPE '\\'`;
    }
    const direction = query.sort === 'desc' ? 'DESC' : 'ASC';
    const [{ total }] = await this.run<{ total: string }>(`SELECT count(*) AS total FROM patients ${where}`, params);
    const rows = await this.run<PatientRow>(
      `SELECT ${COLUMNS} FROM patients ${where}
       ORDER BY ${SORT_EXPRESSIONS[query.sortField]} ${direction}, id ${direction}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.size, (query.page - 1) * query.size],
    );
    return { patients: rows.map(toPatient), totalElements: Number(total) };
  }

  /**
   * Replaces the patient's details and bumps its version; a registeredDate left out stays.
   * Null when there is no such patient; PatientEmailTakenError when the email is someone else's.
   */
  async update(id: string, details: Omit<PatientDetails, 'registeredDate'> & { registeredDate?: string }): Promise<Patient | null> {
    // Wrapped in a CTE so the driver hands back rows (not [rows, count]) and dates as text.
    const rows = await this.run<PatientRow>(
      `WITH updated AS (
         UPDATE patients SET name = $2, email = $3, address = $4, date_of_birth = $5,
           registered_date = COALESCE($6::date, registered_date), updated_at = now(), version = version + 1
         WHERE id = $1 RETURNING *)
       SELECT ${COLUMNS} FROM updated`,
      [id, details.name, details.email, details.address, details.dateOfBirth, details.registeredDate ?? null],
    );
    return rows[0] ? toPatient(rows[0]) : null;
  }

  /** Deletes and returns the patient as it was; null when there was none. */
  async delete(id: string): Promise<Patient | null> {
    const rows = await this.run<PatientRow>(
      `WITH deleted AS (DELETE FROM patients WHERE id = $1 RETURNING *) SELECT ${COLUMNS} FROM deleted`,
      [id],
    );
    return rows[0] ? toPatient(rows[0]) : null;
  }

  private async run<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.dataSource.query(sql, params)) as Row[];
    } catch (error) {
      if (isEmailTaken(error)) throw new PatientEmailTakenError();
      throw PatientStorageError.from(error);
    }
  }
}
