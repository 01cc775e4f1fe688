import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { AuditInterceptor, Audited } from '../audit/audited';
import { PatientContactResponse, PatientResponse } from '../patients/shared/dto/patient.response';
import { PatientIdPipe } from '../patients/shared/patient-id.pipe';
import { PatientErrors } from '../patients/shared/patient.errors';
import type { RecordCaller } from '../record-access/record-access';
import { RecordAccessErrors } from '../record-access/record-access.errors';
import { ACCESS_REASON_API_HEADER, CallerOfRecord } from '../record-access/record-caller.decorator';
import { toResponse } from './clinical-mappings';
import { CHART_NOTES, ClinicalService } from './clinical.service';
import { AllergyResponse, ClinicalEntryResponse, ConditionResponse, MedicationResponse, NoteResponse, VitalSignResponse } from './dto/clinical-responses';

export class ChartResponse {
  @ApiProperty({ type: PatientResponse, description: 'Who the patient is (the roles that read the chart see the whole record)' })
  patient: PatientResponse | PatientContactResponse;

  @ApiProperty({ type: [AllergyResponse], description: 'Active allergies, newest first' })
  allergies: ClinicalEntryResponse[];

  @ApiProperty({ type: [ConditionResponse], description: 'Active conditions (the problem list), newest first' })
  conditions: ClinicalEntryResponse[];

  @ApiProperty({ type: [MedicationResponse], description: 'Active medications, newest first' })
  medications: ClinicalEntryResponse[];

  @ApiProperty({ type: [VitalSignResponse], description: 'The latest measurement of each vital sign, newest first' })
  vitals: ClinicalEntryResponse[];

  @ApiProperty({ type: [NoteResponse], description: `The last ${CHART_NOTES} notes, newest first` })
  notes: ClinicalEntryResponse[];
}

/** GET /patients/{id}/record: the chart, in one call. */
@ApiTags('medical record')
@ApiBearerAuth()
@Controller('patients/:id/record')
@UseInterceptors(AuditInterceptor)
export class ChartController {
  constructor(private readonly clinical: ClinicalService) {}

  @Get()
  @Access('GET /patients/{id}/record')
  @Audited('READ')
  @ApiOperation({
    operationId: 'Chart_get',
    summary: "The patient's chart in one call",
    description: `Demographics, active allergies, conditions and medications, the latest value of each vital sign and the last ${CHART_NOTES} notes; entries marked entered-in-error are left out.`,
  })
  @ApiHeader(ACCESS_REASON_API_HEADER)
  @ApiOkResponse({ type: ChartResponse })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound, RecordAccessErrors.Restricted, RecordAccessErrors.AccessReasonInvalid)
  async get(@Param('id', PatientIdPipe) patientId: string, @CallerOfRecord() caller: RecordCaller): Promise<ChartResponse> {
    const { patient, allergies, conditions, medications, vitals, notes } = await this.clinical.chart(patientId, caller);
    return {
      patient,
      allergies: allergies.map(toResponse),
      conditions: conditions.map(toResponse),
      medications: medications.map(toResponse),
      vitals: vitals.map(toResponse),
      notes: notes.map(toResponse),
    };
  }
}
