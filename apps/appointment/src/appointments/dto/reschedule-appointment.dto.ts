import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { REASON_MAX_LENGTH } from './create-appointment.dto';
import { IsAfterDateTime, IsOffsetDateTime } from './date-time.validators';

// Each field may be left out, but not sent as null. Rules are checked bottom-up.
const given = (field: string) => ValidateIf((body: Record<string, unknown>) => body[field] !== undefined);

export class RescheduleAppointmentDto {
  @ApiPropertyOptional({ format: 'date-time', example: '2030-06-03T10:00:00Z', description: 'ISO 8601 with Z or an offset' })
  @IsOffsetDateTime({ message: 'startTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:00:00Z' })
  @given('startTime')
  startTime?: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2030-06-03T10:30:00Z', description: 'After startTime (the new or the current one)' })
  @IsAfterDateTime('startTime', { message: 'endTime must be after startTime' })
  @IsOffsetDateTime({ message: 'endTime must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T09:30:00Z' })
  @given('endTime')
  endTime?: string;

  @ApiPropertyOptional({ maxLength: REASON_MAX_LENGTH, example: 'Follow-up' })
  @MaxLength(REASON_MAX_LENGTH, { message: `reason must be at most ${REASON_MAX_LENGTH} characters` })
  @Matches(/\S/, { message: 'reason must not be blank' })
  @IsString({ message: 'reason must be a string' })
  @given('reason')
  reason?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Another doctor' })
  @IsUUID('loose', { message: 'doctorId must be a UUID' })
  @given('doctorId')
  doctorId?: string;
}
