import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateBy, ValidateNested, ValidationArguments } from 'class-validator';
import { BLOOD_PRESSURE, VITAL_SIGNS } from '../vital-signs';
import { CLINICAL_RULES } from '../clinical-kinds';
import {
  HasNoNullCharacter,
  ICD10,
  ICD10CM,
  IsCalendarDate,
  IsNotBefore,
  IsNotFutureDate,
  IsPastInstant,
  IsPresent,
  RXNORM,
  SNOMED,
  ValidateInOrder,
} from './clinical-rules';
import { CodedText, codedTextOf } from './coded-text.dto';

const text = (field: string, max: number) => [
  IsString({ message: `${field} must be text` }),
  MaxLength(max, { message: `${field} cannot exceed ${max} characters` }),
  HasNoNullCharacter(`${field} contains a character that is not allowed`),
];
const optionalText = (field: string, max: number) => ValidateInOrder(IsOptional(), ...text(field, max));
const requiredText = (field: string, max: number) => ValidateInOrder(IsPresent(`${field} is required`), ...text(field, max));
const oneOf = (field: string, values: readonly string[]) => IsIn(values, { message: `${field} must be one of ${values.join(', ')}` });
const pastDate = (field: string) =>
  ValidateInOrder(IsOptional(), IsCalendarDate(`${field} must be a valid date (YYYY-MM-DD)`), IsNotFutureDate(`${field} cannot be in the future`));
const codedText = (field: string, dto: ReturnType<typeof codedTextOf>) => [
  IsObject({ message: `${field} must be an object with text and an optional coding` }),
  ValidateNested(),
  Type(() => dto),
];

export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export const CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;

export const SubstanceDto = codedTextOf('Substance', [SNOMED, RXNORM], {
  text: 'Penicillin',
  coding: { system: RXNORM, code: '7980', display: 'Penicillin G' },
});
export const ConditionCodeDto = codedTextOf('ConditionCode', [ICD10, ICD10CM, SNOMED], {
  text: 'Type 2 diabetes mellitus',
  coding: { system: ICD10, code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' },
});
export const MedicationCodeDto = codedTextOf('MedicationCode', [RXNORM, SNOMED], {
  text: 'Metformin 500 mg oral tablet',
  coding: { system: RXNORM, code: '860975', display: 'metformin hydrochloride 500 MG Oral Tablet' },
});

/** An allergy or intolerance, as recorded or corrected. */
export class AllergyRequest {
  @ApiProperty({ type: SubstanceDto })
  @ValidateInOrder(IsPresent('substance is required'), ...codedText('substance', SubstanceDto))
  substance: CodedText;

  @ApiPropertyOptional({ maxLength: 500, example: 'Hives' })
  @optionalText('reaction', 500)
  reaction?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @ValidateInOrder(IsOptional(), oneOf('severity', SEVERITIES))
  severity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ enum: CRITICALITIES })
  @ValidateInOrder(IsOptional(), oneOf('criticality', CRITICALITIES))
  criticality?: (typeof CRITICALITIES)[number];

  @ApiPropertyOptional({ enum: CLINICAL_RULES.allergies.statuses, default: 'active' })
  @ValidateInOrder(IsOptional(), oneOf('clinicalStatus', CLINICAL_RULES.allergies.statuses))
  clinicalStatus?: string;

  @ApiPropertyOptional({ format: 'date', example: '2019-04-02', description: 'YYYY-MM-DD, not in the future' })
  @pastDate('onset')
  onset?: string;
}

/** A diagnosis on the problem list. */
export class ConditionRequest {
  @ApiProperty({ type: ConditionCodeDto })
  @ValidateInOrder(IsPresent('condition is required'), ...codedText('condition', ConditionCodeDto))
  condition: CodedText;

  @ApiPropertyOptional({ enum: CLINICAL_RULES.conditions.statuses, default: 'active' })
  @ValidateInOrder(IsOptional(), oneOf('clinicalStatus', CLINICAL_RULES.conditions.statuses))
  clinicalStatus?: string;

  @ApiPropertyOptional({ format: 'date', example: '2021-09-14', description: 'YYYY-MM-DD, not in the future' })
  @pastDate('onset')
  onset?: string;

  @ApiPropertyOptional({ format: 'date', description: 'When it ended: YYYY-MM-DD, not in the future, not before onset' })
  @ValidateInOrder(
    IsOptional(),
    IsCalendarDate('abatement must be a valid date (YYYY-MM-DD)'),
    IsNotFutureDate('abatement cannot be in the future'),
    IsNotBefore('onset', 'abatement cannot be before onset'),
  )
  abatement?: string;
}

/** A medication the patient takes or took. */
export class MedicationRequest {
  @ApiProperty({ type: MedicationCodeDto })
  @ValidateInOrder(IsPresent('medication is required'), ...codedText('medication', MedicationCodeDto))
  medication: CodedText;

  @ApiPropertyOptional({ maxLength: 100, example: '500 mg' })
  @optionalText('dose', 100)
  dose?: string;

  @ApiPropertyOptional({ maxLength: 50, example: 'oral' })
  @optionalText('route', 50)
  route?: string;

  @ApiPropertyOptional({ maxLength: 100, example: 'twice a day' })
  @optionalText('frequency', 100)
  frequency?: string;

  @ApiPropertyOptional({ enum: CLINICAL_RULES.medications.statuses, default: 'active' })
  @ValidateInOrder(IsOptional(), oneOf('status', CLINICAL_RULES.medications.statuses))
  status?: string;

  @ApiPropertyOptional({ format: 'date', example: '2024-02-01', description: 'YYYY-MM-DD, not in the future' })
  @pastDate('start')
  start?: string;

  @ApiPropertyOptional({ format: 'date', description: 'YYYY-MM-DD, not before start (may be planned ahead)' })
  @ValidateInOrder(IsOptional(), IsCalendarDate('end must be a valid date (YYYY-MM-DD)'), IsNotBefore('start', 'end cannot be before start'))
  end?: string;
}

const vitalOf = (args?: ValidationArguments) => VITAL_SIGNS[(args?.object as { code?: string }).code ?? ''];

/**
 * A number in the plausible range of the sign its sibling `code` names (or of its `part`). Absent
 * passes (RequiredFor says whether it may be), and so does anything for an unknown code.
 */
function IsPlausible(part?: 'systolic' | 'diastolic'): PropertyDecorator {
  const rangeOf = (args?: ValidationArguments) => {
    const vital = vitalOf(args);
    return part ? vital?.components?.[part].range : vital?.range;
  };
  return ValidateBy({
    name: 'isPlausible',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const range = rangeOf(args);
        if (value === undefined || !range) return true;
        return typeof value === 'number' && Number.isFinite(value) && value >= range[0] && value <= range[1];
      },
      defaultMessage: (args?: ValidationArguments) => {
        const range = rangeOf(args)!;
        const vital = vitalOf(args)!;
        return `${args?.property} must be a number from ${range[0]} to ${range[1]} ${vital.unit} for ${vital.display.toLowerCase()}`;
      },
    },
  });
}

/** Present exactly when the code is (or is not) blood pressure. */
function RequiredFor(bloodPressure: boolean): PropertyDecorator {
  return ValidateBy({
    name: 'requiredFor',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const vital = vitalOf(args);
        if (!vital) return true;
        const wanted = (vital.code === BLOOD_PRESSURE) === bloodPressure;
        return wanted ? value !== undefined && value !== null : value === undefined;
      },
      defaultMessage: (args?: ValidationArguments) =>
        (vitalOf(args)!.code === BLOOD_PRESSURE) === bloodPressure
          ? `${args?.property} is required for ${vitalOf(args)!.display.toLowerCase()}`
          : `${args?.property} is not taken for ${vitalOf(args)!.display.toLowerCase()}`,
    },
  });
}

/** One measurement of a vital sign. */
export class VitalSignRequest {
  @ApiProperty({ enum: Object.keys(VITAL_SIGNS), example: '8867-4', description: 'The LOINC code of the sign' })
  @ValidateInOrder(IsPresent('code is required'), oneOf('code', Object.keys(VITAL_SIGNS)))
  code: string;

  @ApiPropertyOptional({ example: 72, description: 'Every sign but blood pressure' })
  @ValidateInOrder(RequiredFor(false), IsPlausible())
  value?: number;

  @ApiPropertyOptional({ example: 120, description: 'Blood pressure only, mm[Hg]' })
  @ValidateInOrder(RequiredFor(true), IsPlausible('systolic'))
  systolic?: number;

  @ApiPropertyOptional({ example: 80, description: 'Blood pressure only, mm[Hg]' })
  @ValidateInOrder(RequiredFor(true), IsPlausible('diastolic'))
  diastolic?: number;

  @ApiProperty({ example: '/min', description: 'The UCUM unit of the sign: /min, Cel, kg, %, mm[Hg]' })
  @ValidateInOrder(
    IsPresent('unit is required'),
    ValidateBy({
      name: 'isUnitOfCode',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => !vitalOf(args) || value === vitalOf(args)!.unit,
        defaultMessage: (args?: ValidationArguments) => `unit must be ${vitalOf(args)!.unit} for ${vitalOf(args)!.display.toLowerCase()}`,
      },
    }),
  )
  unit: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-03T09:30:00Z', description: 'When it was taken, with its offset; not in the future' })
  @ValidateInOrder(IsPresent('takenAt is required'), IsPastInstant('takenAt must be a date-time with an offset (2026-12-03T09:30:00Z), not in the future'))
  takenAt: string;
}

/** A visit note. Never edited: a correction is an addendum, a new note that `amends` the old one. */
export class NoteRequest {
  @ApiProperty({ maxLength: 20000, example: 'Seen for follow-up. Blood sugar well controlled.' })
  @requiredText('text', 20000)
  text: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The appointment the note documents' })
  @ValidateInOrder(IsOptional(), IsUUID('all', { message: 'appointmentId must be a UUID' }))
  appointmentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "An earlier note of this patient's that this one adds to (an addendum)" })
  @ValidateInOrder(IsOptional(), IsUUID('all', { message: 'amends must be a UUID' }))
  amends?: string;
}

/** Why an entry is being marked entered-in-error. */
export class EnteredInErrorRequest {
  @ApiProperty({ maxLength: 500, example: 'Recorded on the wrong patient' })
  @requiredText('reason', 500)
  reason: string;
}
