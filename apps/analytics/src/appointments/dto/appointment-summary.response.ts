import { ApiProperty } from '@nestjs/swagger';
import type { AppointmentSummary } from '../appointment-stats.service';

export class StatusCountsResponse {
  @ApiProperty() SCHEDULED: number;
  @ApiProperty() CHECKED_IN: number;
  @ApiProperty() COMPLETED: number;
  @ApiProperty() CANCELLED: number;
  @ApiProperty() NO_SHOW: number;
}

export class DoctorAppointmentsResponse {
  @ApiProperty({ type: String, nullable: true, description: 'null: appointments booked without a doctor' })
  doctorId: string | null;

  @ApiProperty()
  total: number;

  @ApiProperty({ type: StatusCountsResponse })
  byStatus: StatusCountsResponse;
}

export class AppointmentSummaryResponse {
  @ApiProperty({ example: '2024-03-01' })
  from: string;

  @ApiProperty({ example: '2024-03-31' })
  to: string;

  @ApiProperty({ type: StatusCountsResponse, description: 'Appointments whose start falls in the range, by current status' })
  byStatus: StatusCountsResponse;

  @ApiProperty({ type: [DoctorAppointmentsResponse] })
  byDoctor: DoctorAppointmentsResponse[];

  @ApiProperty({ description: 'NO_SHOW / (COMPLETED + NO_SHOW); 0 when there are none', example: 0.125 })
  noShowRate: number;

  static from(summary: AppointmentSummary): AppointmentSummaryResponse {
    return { ...summary };
  }
}
