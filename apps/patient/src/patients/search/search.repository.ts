import { Injectable } from '@nestjs/common';
import { PatientListQuery, PatientPage, PatientSortField } from '../shared/patient.entity';
import { PATIENT_COLUMNS, PatientRow, PatientTable } from '../shared/patient-table';
import { searchParams, searchSql } from './patient-search';

// Text sorts ignore case; the id breaks ties in the same direction so the order is total.
const SORT_EXPRESSIONS: Record<PatientSortField, string> = {
  name: 'lower(name)',
  email: 'lower(email)',
  address: 'lower(address)',
  dateOfBirth: 'date_of_birth',
  registeredDate: 'registered_date',
};

/** Pages of live patients, sorted or searched. */
@Injectable()
export class SearchRepository {
  constructor(private readonly table: PatientTable) {}

  /**
   * A page of live patients in the requested order; with a search, the matches ranked by
   * relevance (see patient-search), page and count in one statement.
   */
  async list(query: PatientListQuery): Promise<PatientPage> {
    const direction = query.sort === 'desc' ? 'DESC' : 'ASC';
    const offset = (query.page - 1) * query.size;
    if (query.searchValue) {
      const rows = await this.table.query<PatientRow & { total: string }>(
        searchSql(PATIENT_COLUMNS, SORT_EXPRESSIONS[query.sortField], direction, query.searchValue),
        searchParams(query.searchValue, query.size, offset),
      );
      return { patients: rows.filter((row) => row.id !== null).map(this.table.toPatient), totalElements: Number(rows[0].total) };
    }
    // Kept by the database's triggers (live-patient-count migration): counting rows reads the table.
    const [{ total }] = await this.table.query<{ total: string }>('SELECT sum(live) AS total FROM patient_live_counts', []);
    const rows = await this.table.query<PatientRow>(
      `SELECT ${PATIENT_COLUMNS} FROM patients WHERE deleted_at IS NULL
       ORDER BY ${SORT_EXPRESSIONS[query.sortField]} ${direction}, id ${direction}
       LIMIT $1 OFFSET $2`,
      [query.size, offset],
    );
    return { patients: rows.map(this.table.toPatient), totalElements: Number(total) };
  }
}
