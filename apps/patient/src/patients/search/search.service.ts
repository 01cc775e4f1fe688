import { Injectable } from '@nestjs/common';
import { type Role, visibleFields } from '@pm/auth-tokens';
import { PatientPageResponse } from '../shared/dto/patient.response';
import type { PatientCriteria, PatientCriteriaPage, PatientSortField } from '../shared/patient.entity';
import { patientViewFor } from '../shared/patient-view';
import { SortablePatientFields, parseListPatientsQuery } from './dto/list-patients.query';
import { SearchRepository } from './search.repository';

/**
 * A role that may not see a field may not sort by it either (the order of a page sorted by birth
 * date tells the birth dates apart), and nobody sorts by an encrypted field.
 */
export function sortableFieldsFor(role: Role): readonly PatientSortField[] {
  const visible = visibleFields('GET /patients', role);
  return visible ? SortablePatientFields.filter((field) => visible.includes(field)) : SortablePatientFields;
}

/** Lists and searches patients, each as the caller's role may see it. */
@Injectable()
export class SearchService {
  constructor(private readonly search: SearchRepository) {}

  /**
   * A page for the raw query string (parseListPatientsQuery: a bad parameter is a 400 naming it),
   * sorted only by what `role` may see, each patient projected to what it may see.
   */
  async list(rawQuery: Record<string, unknown>, role: Role): Promise<PatientPageResponse> {
    const query = parseListPatientsQuery(rawQuery, sortableFieldsFor(role));
    const { patients, totalElements } = await this.search.list(query);
    return {
      patients: patients.map((patient) => patientViewFor(role, patient)),
      page: query.page,
      size: query.size,
      totalPages: Math.ceil(totalElements / query.size),
      totalElements,
    };
  }

  /** Live patients meeting every criterion (FHIR's Patient search); the caller projects them. */
  find(criteria: PatientCriteria): Promise<PatientCriteriaPage> {
    return this.search.find(criteria);
  }
}
