import { ApiProperty } from '@nestjs/swagger';
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

  static from(view: AppointmentView): AppointmentResponse {
    return {
      id: view.id,
      patientId: view.patientId,
      patientName: view.patientName,
      doctorId: view.doctorId,
      startTime: view.startTime.toISOString(),
      endTime: view.endTime.toISOString(),
      reason: view.reason,
      status: view.status,
    };
  }
}
