import { ApiProperty } from '@nestjs/swagger';
import { responseFields } from '@pm/platform';
import type { PatientSummary } from '../patient-stats.repository';

export class PatientSummaryResponse {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Patients created and not deleted', example: 15 })
  total: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'PATIENT_CREATED events today (UTC)', example: 2 })
  createdToday: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'PATIENT_UPDATED events today (UTC)', example: 5 })
  updatedToday: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'PATIENT_DELETED events today (UTC)', example: 1 })
  deletedToday: number;

  static from(summary: PatientSummary): PatientSummaryResponse {
    return responseFields(summary, ['total', 'createdToday', 'updatedToday', 'deletedToday']);
  }
}
