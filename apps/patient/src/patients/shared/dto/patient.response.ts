import { ApiProperty, PickType, getSchemaPath } from '@nestjs/swagger';
import { responseFields } from '@pm/platform';
import type { Patient } from '../patient.entity';

export class PatientResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'John Doe' })
  name: string;

  @ApiProperty({ format: 'email', example: 'john.doe@example.com' })
  email: string;

  @ApiProperty({ example: '123 Main St, Springfield' })
  address: string;

  @ApiProperty({ format: 'date', example: '1985-06-15' })
  dateOfBirth: string;

  @ApiProperty({ format: 'date', example: '2024-01-10' })
  registeredDate: string;

  static from(patient: Patient): PatientResponse {
    return responseFields(patient, ['id', 'name', 'email', 'address', 'dateOfBirth', 'registeredDate']);
  }
}

/** What the BILLING role sees of a patient (contract): the contact details, nothing medical. */
export class PatientContactResponse extends PickType(PatientResponse, ['id', 'name', 'email', 'address'] as const) {
  static from(patient: Patient): PatientContactResponse {
    return responseFields(patient, ['id', 'name', 'email', 'address']);
  }
}

/** The OpenAPI schema of a patient as the caller's role sees it. */
export const PATIENT_VIEW_SCHEMA = {
  oneOf: [{ $ref: getSchemaPath(PatientResponse) }, { $ref: getSchemaPath(PatientContactResponse) }],
  description: 'The whole record; for the BILLING role only id, name, email and address',
};

export class PatientPageResponse {
  @ApiProperty({ type: 'array', items: PATIENT_VIEW_SCHEMA })
  patients: (PatientResponse | PatientContactResponse)[];

  @ApiProperty({ description: 'The page returned, counting from 1', example: 1 })
  page: number;

  @ApiProperty({ description: 'Patients per page', example: 10 })
  size: number;

  @ApiProperty({ example: 2 })
  totalPages: number;

  @ApiProperty({ description: 'Patients matching the search, on all pages', example: 15 })
  totalElements: number;
}
