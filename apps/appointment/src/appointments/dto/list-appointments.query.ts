import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsUUID } from 'class-validator';
import { AppointmentStatus, AppointmentStatuses } from '../appointment.entity';
import { IsAfterDateTime, IsOffsetDateTime } from './date-time.validators';

// Rules are checked bottom-up; the first broken one is reported.
export class ListAppointmentsQuery {
  @ApiProperty({ format: 'date-time', example: '2030-06-03T00:00:00Z', description: 'Start of the range, inclusive' })
  @IsOffsetDateTime({ message: 'from must be an ISO 8601 date-time with an offset, e.g. 2030-06-03T00:00:00Z' })
  @IsNotEmpty({ message: 'from is required' })
  from: string;

  @ApiProperty({ format: 'date-time', example: '2030-06-04T00:00:00Z', description: 'End of the range, exclusive' })
  @IsAfterDateTime('from', { message: 'to must be after from' })
  @IsOffsetDateTime({ message: 'to must be an ISO 8601 date-time with an offset, e.g. 2030-06-04T00:00:00Z' })
  @IsNotEmpty({ message: 'to is required' })
  to: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('loose', { message: 'patientId must be a UUID' })
  patientId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('loose', { message: 'doctorId must be a UUID' })
  doctorId?: string;

  @ApiPropertyOptional({ enum: AppointmentStatuses })
  @IsOptional()
  @IsIn(AppointmentStatuses, { message: `status must be one of ${AppointmentStatuses.join(', ')}` })
  status?: AppointmentStatus;
}
