import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsAfterDateTime, IsOffsetDateTime } from './date-time.validators';

export const REASON_MAX_LENGTH = 500;

// class-validator checks a property's rules bottom-up and reports the first broken one
// (stopAtFirstError), so each list reads from the last check to the first.
export class CreateAppointmentDto {
  @ApiProperty({ format: 'uuid', example: '123e4567-e89b-12d3-a456-426614174000' })
  @IsUUID('loose', { message: 'patientId must be a UUID' })
  @IsNotEmpty({ message: 'patientId is required' })
  patientId: string;

  @ApiProperty({ format: 'date-time', example: '2030-06-03T09:00:00Z', description: 'ISO 8601 with Z or an offset' })
  @IsOffsetDateTime({ message: 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z' })
  @IsNotEmpty({ message: 'startTime is required' })
  startTime: string;

  @ApiProperty({ format: 'date-time', example: '2030-06-03T09:30:00Z', description: 'After startTime' })
  @IsAfterDateTime('startTime', { message: 'endTime must be after startTime' })
  @IsOffsetDateTime({ message: 'endTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:30:00Z' })
  @IsNotEmpty({ message: 'endTime is required' })
  endTime: string;

  @ApiProperty({ maxLength: REASON_MAX_LENGTH, example: 'Annual check-up' })
  @MaxLength(REASON_MAX_LENGTH, { message: `reason must be at most ${REASON_MAX_LENGTH} characters` })
  @Matches(/\S/, { message: 'reason is required' })
  @IsString({ message: 'reason must be a string' })
  @IsNotEmpty({ message: 'reason is required' })
  reason: string;

  @ApiProperty({ format: 'uuid', example: 'f47ac10b-58cc-4372-a567-0e02b2c3d479', description: 'The doctor seeing the patient' })
  @IsUUID('loose', { message: 'doctorId must be a UUID' })
  @IsNotEmpty({ message: 'doctorId is required' })
  doctorId: string;
}
