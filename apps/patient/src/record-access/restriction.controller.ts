import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import { AuditInterceptor, Audited } from '../audit/audited';
import { PatientIdPipe } from '../patients/shared/patient-id.pipe';
import { PatientErrors } from '../patients/shared/patient.errors';
import { RestrictRequest, RestrictionResponse } from './dto/record-access.dto';
import type { RecordCaller, Restriction } from './record-access';
import { RecordAccessErrors } from './record-access.errors';
import { RecordAccessService, RestrictionView } from './record-access.service';
import { CallerOfRecord } from './record-caller.decorator';

const toResponse = (view: RestrictionView | ({ restricted: true } & Restriction)): RestrictionResponse =>
  view.restricted ? { ...view, restrictedAt: view.restrictedAt.toISOString() } : { restricted: false };

/** /patients/{id}/restriction: a record's clinical entries kept to its care team, and lifted again. */
@ApiTags('medical record')
@ApiBearerAuth()
@Controller('patients/:id/restriction')
@UseInterceptors(AuditInterceptor)
export class RestrictionController {
  constructor(private readonly access: RecordAccessService) {}

  @Get()
  @Access('GET /patients/{id}/restriction')
  @Audited('READ')
  @ApiOperation({ operationId: 'Restriction_get', summary: "Whether the patient's record is restricted (the reason for ADMIN and the care team only)" })
  @ApiOkResponse({ type: RestrictionResponse })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async get(@Param('id', PatientIdPipe) patientId: string, @CallerOfRecord() caller: RecordCaller): Promise<RestrictionResponse> {
    return toResponse(await this.access.restrictionOf(patientId, caller));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @Access('POST /patients/{id}/restriction')
  @Audited('UPDATE')
  @ApiOperation({
    operationId: 'Restriction_set',
    summary: "Restricts the patient's record to its care team (ADMIN, or a DOCTOR of the care team)",
    description:
      'Clinical entries of a restricted record are for its care team and ADMIN; any other clinician gets 403 CLINICAL_RECORD_RESTRICTED and may break the glass. ' +
      'Demographics stay readable as before. Restricting a restricted record restates the reason. The reason is stored encrypted.',
  })
  @ApiBody({ type: RestrictRequest })
  @ApiOkResponse({ type: RestrictionResponse })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound, RecordAccessErrors.NotTreating)
  async restrict(@Param('id', PatientIdPipe) patientId: string, @Body() body: RestrictRequest, @CallerOfRecord() caller: RecordCaller): Promise<RestrictionResponse> {
    return toResponse({ restricted: true, ...(await this.access.restrict(patientId, body.reason, caller)) });
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('DELETE /patients/{id}/restriction')
  @Audited('UPDATE')
  @ApiOperation({ operationId: 'Restriction_lift', summary: 'Lifts the restriction (ADMIN, or a DOCTOR of the care team); nothing to do when there is none' })
  @ApiNoContentResponse({ description: 'The record is not restricted' })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound, RecordAccessErrors.NotTreating)
  async lift(@Param('id', PatientIdPipe) patientId: string, @CallerOfRecord() caller: RecordCaller): Promise<void> {
    await this.access.lift(patientId, caller);
  }
}
