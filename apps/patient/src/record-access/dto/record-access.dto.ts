import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, MaxLength } from 'class-validator';
import { HasNoNullCharacter, IsPresent, ValidateInOrder } from '../../patients/shared/dto/patient-rules';
import { APPOINTMENT_STATUSES } from '../record-access';

/** Why a record is restricted (staff who are patients, public figures, sensitive care). */
export class RestrictRequest {
  @ApiProperty({ maxLength: 500, example: 'Member of staff of this hospital' })
  @ValidateInOrder(
    IsPresent('reason is required'),
    IsString({ message: 'reason must be text' }),
    MaxLength(500, { message: 'reason cannot exceed 500 characters' }),
    HasNoNullCharacter('reason contains a character that is not allowed'),
  )
  reason: string;
}

export class RestrictionResponse {
  @ApiProperty({ description: "Whether the record's clinical entries are for its care team only" })
  restricted: boolean;

  @ApiProperty({ required: false, description: 'Why; shown to ADMIN and the care team only' })
  reason?: string;

  @ApiProperty({ required: false, description: 'The user id of who restricted it' })
  restrictedBy?: string;

  @ApiProperty({ required: false, format: 'date-time' })
  restrictedAt?: string;
}

/** A user ADMIN adds to the care team. */
export class AssignCareTeamRequest {
  @ApiProperty({ format: 'uuid', description: 'The user id of the clinician' })
  @ValidateInOrder(IsPresent('userId is required'), IsUUID('all', { message: 'userId must be a UUID' }))
  userId: string;
}

export class CareTeamAppointmentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: APPOINTMENT_STATUSES })
  status: string;

  @ApiProperty({ format: 'date-time' })
  startTime: string;
}

/** One reason a user is in the care team. */
export class CareTeamMemberResponse {
  @ApiProperty({ description: 'The user id' })
  userId: string;

  @ApiProperty({
    enum: ['ASSIGNED', 'APPOINTMENT'],
    description:
      'ASSIGNED: ADMIN added them. APPOINTMENT: the doctor of a CHECKED_IN or COMPLETED appointment in the last 12 months, or of a SCHEDULED one someone else booked',
  })
  why: 'ASSIGNED' | 'APPOINTMENT';

  @ApiProperty({ required: false, description: 'ASSIGNED: the user id of the ADMIN who assigned them' })
  assignedBy?: string;

  @ApiProperty({ required: false, format: 'date-time' })
  assignedAt?: string;

  @ApiProperty({ required: false, type: CareTeamAppointmentResponse, description: 'APPOINTMENT: the appointment' })
  appointment?: CareTeamAppointmentResponse;
}

export class CareTeamResponse {
  @ApiProperty({ type: [CareTeamMemberResponse], description: 'Assigned members first, then doctors of appointments (latest first); a user may be listed once per reason' })
  members: CareTeamMemberResponse[];
}
