import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLINICAL_RULES } from '../clinical-kinds';
import { VITAL_SIGNS } from '../vital-signs';
import { CRITICALITIES, ConditionCodeDto, MedicationCodeDto, SEVERITIES, SubstanceDto } from './clinical-requests';
import type { CodedText } from './coded-text.dto';

export class EnteredInErrorResponse {
  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty({ description: 'The user id of who marked it' })
  by: string;

  @ApiProperty()
  reason: string;
}

/** What every clinical entry answers with, whatever its kind. */
export class ClinicalEntryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  patientId: string;

  @ApiProperty({ description: 'Bumped by each change; the ETag names it', example: 1 })
  version: number;

  @ApiProperty({ description: 'The user id of the recorder (prescriber, author)' })
  recordedBy: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  @ApiProperty({ description: 'The user id of the last change' })
  updatedBy: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiPropertyOptional({ type: EnteredInErrorResponse, description: 'Present once the entry was marked entered-in-error (it is then hidden from lists and the chart)' })
  enteredInError?: EnteredInErrorResponse;
}

export class AllergyResponse extends ClinicalEntryResponse {
  @ApiProperty({ type: SubstanceDto })
  substance: CodedText;

  @ApiPropertyOptional()
  reaction?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  severity?: string;

  @ApiPropertyOptional({ enum: CRITICALITIES })
  criticality?: string;

  @ApiProperty({ enum: CLINICAL_RULES.allergies.statuses })
  clinicalStatus: string;

  @ApiPropertyOptional({ format: 'date' })
  onset?: string;
}

export class ConditionResponse extends ClinicalEntryResponse {
  @ApiProperty({ type: ConditionCodeDto })
  condition: CodedText;

  @ApiProperty({ enum: CLINICAL_RULES.conditions.statuses })
  clinicalStatus: string;

  @ApiPropertyOptional({ format: 'date' })
  onset?: string;

  @ApiPropertyOptional({ format: 'date' })
  abatement?: string;
}

export class MedicationResponse extends ClinicalEntryResponse {
  @ApiProperty({ type: MedicationCodeDto })
  medication: CodedText;

  @ApiPropertyOptional()
  dose?: string;

  @ApiPropertyOptional()
  route?: string;

  @ApiPropertyOptional()
  frequency?: string;

  @ApiProperty({ enum: CLINICAL_RULES.medications.statuses })
  status: string;

  @ApiPropertyOptional({ format: 'date' })
  start?: string;

  @ApiPropertyOptional({ format: 'date' })
  end?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Active allergies it matched, which the prescriber acknowledged (acknowledgeAllergy=true)' })
  acknowledgedAllergies?: string[];
}

export class VitalSignResponse extends ClinicalEntryResponse {
  @ApiProperty({ enum: Object.keys(VITAL_SIGNS), description: 'LOINC' })
  code: string;

  @ApiProperty({ example: 'Heart rate' })
  display: string;

  @ApiPropertyOptional()
  value?: number;

  @ApiPropertyOptional()
  systolic?: number;

  @ApiPropertyOptional()
  diastolic?: number;

  @ApiProperty({ description: 'UCUM' })
  unit: string;

  @ApiProperty({ format: 'date-time' })
  takenAt: string;
}

export class NoteResponse extends ClinicalEntryResponse {
  @ApiProperty()
  text: string;

  @ApiPropertyOptional({ format: 'uuid' })
  appointmentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The note this one is an addendum to' })
  amends?: string;
}

export const CLINICAL_CHANGE_DESCRIPTION = 'RECORDED, CORRECTED or ENTERED_IN_ERROR';
