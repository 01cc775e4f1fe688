import { ApiProperty } from '@nestjs/swagger';
import { responseFields } from '@pm/platform';
import { AppointmentStatuses } from '../appointment.entity';
import type { AppointmentView } from '../appointments.repository';

export class AppointmentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  patientId: string;

  @ApiProperty({ type: String, nullable: true, description: 'From the patient directory; null until the patient is known here' })
  patientName: string | null;

  @ApiProperty({ format: 'uuid' })
  doctorId: string;

  @ApiProperty({ format: 'date-time' })
  startTime: string;

  @ApiProperty({ format: 'date-time' })
  endTime: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ enum: AppointmentStatuses })
  status: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a visit note on this appointment was recorded in the patient\'s medical record; null until one is',
  })
  documentedAt: string | null;

  static from(view: AppointmentView): AppointmentResponse {
    return responseFields(view, ['id', 'patientId', 'patientName', 'doctorId', 'startTime', 'endTime', 'reason', 'status', 'documentedAt']);
  }
}
