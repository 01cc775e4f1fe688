import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Injectable, Param, PipeTransform, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { ApiErrors, ProblemException, isUuid } from '@pm/platform';
import type { Response } from 'express';
import { AuditInterceptor, Audited } from '../audit/audited';
import { PatientIdPipe } from '../patients/shared/patient-id.pipe';
import { PatientErrors } from '../patients/shared/patient.errors';
import { AssignCareTeamRequest, CareTeamMemberResponse, CareTeamResponse } from './dto/record-access.dto';
import type { CareTeamMember } from './record-access';
import { RecordAccessService } from './record-access.service';

/** A user id from the path: a UUID, lower-cased; anything else is a 400 naming `userId`. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw ProblemException.badRequest('The user id is not a UUID', { userId: 'userId must be a UUID' });
    return value.toLowerCase();
  }
}

const toMember = (member: CareTeamMember): CareTeamMemberResponse =>
  member.why === 'ASSIGNED'
    ? { userId: member.userId, why: member.why, assignedBy: member.assignedBy, assignedAt: member.assignedAt.toISOString() }
    : { userId: member.userId, why: member.why, appointment: { ...member.appointment, startTime: member.appointment.startTime.toISOString() } };

/** /patients/{id}/care-team: who may read the record when it is restricted, and ADMIN's assignments. */
@ApiTags('medical record')
@ApiBearerAuth()
@Controller('patients/:id/care-team')
@UseInterceptors(AuditInterceptor)
export class CareTeamController {
  constructor(private readonly access: RecordAccessService) {}

  @Get()
  @Access('GET /patients/{id}/care-team')
  @Audited('READ')
  @ApiOperation({
    operationId: 'CareTeam_list',
    summary: "The patient's care team, and why each member is in it",
    description:
      'Users ADMIN assigned, and doctors of a CHECKED_IN or COMPLETED appointment with the patient in the last 12 months or of a SCHEDULED one (future or recent) that someone else booked.',
  })
  @ApiOkResponse({ type: CareTeamResponse })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async list(@Param('id', PatientIdPipe) patientId: string): Promise<CareTeamResponse> {
    return { members: (await this.access.careTeam(patientId)).map(toMember) };
  }

  @Post()
  @Access('POST /patients/{id}/care-team')
  @Audited('UPDATE')
  @ApiOperation({ operationId: 'CareTeam_assign', summary: 'Assigns a user to the care team (201; 200 when already assigned), answering the care team' })
  @ApiBody({ type: AssignCareTeamRequest })
  @ApiCreatedResponse({ type: CareTeamResponse, description: 'Assigned' })
  @ApiOkResponse({ type: CareTeamResponse, description: 'Already assigned: nothing changed' })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async assign(
    @Param('id', PatientIdPipe) patientId: string,
    @Body() body: AssignCareTeamRequest,
    @CurrentUser() caller: AccessTokenClaims,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CareTeamResponse> {
    const assigned = await this.access.assign(patientId, body.userId, caller.userId);
    res.status(assigned ? HttpStatus.CREATED : HttpStatus.OK);
    return this.list(patientId);
  }

  @Delete(':userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('DELETE /patients/{id}/care-team/{userId}')
  @Audited('UPDATE')
  @ApiOperation({ operationId: 'CareTeam_unassign', summary: "Ends a user's assignment (appointments keep a doctor in the care team); nothing to do when there is none" })
  @ApiNoContentResponse({ description: 'The user is not assigned' })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async unassign(@Param('id', PatientIdPipe) patientId: string, @Param('userId', UserIdPipe) userId: string): Promise<void> {
    await this.access.unassign(patientId, userId);
  }
}
