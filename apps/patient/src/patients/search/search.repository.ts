import { Injectable } from '@nestjs/common';
import { PatientCriteria, PatientCriteriaPage, PatientListQuery, PatientPage, PatientSortField } from '../shared/patient.entity';
import { PATIENT_COLUMNS, PatientRow, PatientTable } from '../shared/patient-table';
import { MAX_RANKED_MATCHES, searchParams, searchSql, termWords } from './patient-search';

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

  /**
   * Live patients meeting every given criterion: with a name, ranked as the name search ranks
   * (and capped like it); without, by name. Email and birth date are exact matches on indexes
   * (the lower-case email's, the birth date's blind index).
   */
  async find({ name, email, birthDate, offset, size }: PatientCriteria): Promise<PatientCriteriaPage> {
    const exact: [string, unknown][] = [];
    if (email !== undefined) exact.push(['lower(email) = lower($?::text)', email]);
    if (birthDate !== undefined) exact.push(['birth_date_index = $?::text', this.table.birthDateIndex(birthDate)]);
    const conditions = (first: number) => exact.map(([sql], i) => sql.replace('$?', `$${first + i}`)).join(' AND ') || 'true';
    if (name) {
      const params = searchParams(name, size, offset);
      const rows = await this.table.query<PatientRow & { total: string }>(
        searchSql(PATIENT_COLUMNS, SORT_EXPRESSIONS.name, 'ASC', name, conditions(6 + termWords(name).length)),
        [...params, ...exact.map(([, value]) => value)],
      );
      const total = Number(rows[0].total);
      return { patients: rows.filter((row) => row.id !== null).map(this.table.toPatient), total, capped: total >= MAX_RANKED_MATCHES };
    }
    const rows = await this.table.query<PatientRow & { total: string }>(
      `SELECT ${PATIENT_COLUMNS}, count(*) OVER () AS total FROM patients WHERE deleted_at IS NULL AND ${conditions(3)}
       ORDER BY lower(name), id LIMIT $1 OFFSET $2`,
      [size, offset, ...exact.map(([, value]) => value)],
    );
    // A page past the end has no row to carry the count: counted again, as rarely as that happens.
    const total = rows.length > 0 ? Number(rows[0].total) : offset === 0 ? 0 : await this.count(conditions(1), exact.map(([, value]) => value));
    return { patients: rows.map(this.table.toPatient), total, capped: false };
  }

  private async count(conditions: string, params: unknown[]): Promise<number> {
    const [{ total }] = await this.table.query<{ total: string }>(`SELECT count(*) AS total FROM patients WHERE deleted_at IS NULL AND ${conditions}`, params);
    return Number(total);
  }
}
