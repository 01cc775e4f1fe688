import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access, AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import type { Response } from 'express';
import { AuditInterceptor, Audited } from '../../audit/audited';
import { RequestId, ApiErrors } from '@pm/platform';
import { UpdatePatientDto } from '../shared/dto/patient-body.dto';
import { PATIENT_VIEW_SCHEMA, PatientContactResponse, PatientResponse } from '../shared/dto/patient.response';
import { etagOf } from '../shared/patient-etag';
import { PatientIdPipe } from '../shared/patient-id.pipe';
import { IfMatch } from './preconditions';
import { RecordsService } from './records.service';
import { PatientErrors } from '../shared/patient.errors';

/** GET, PUT and DELETE /patients/{id}, and POST /patients/{id}/restore. */
@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
@UseInterceptors(AuditInterceptor)
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get(':id')
  @Access('GET /patients/{id}')
  @Audited('READ')
  @ApiOperation({
    operationId: 'PatientsController_get',
    summary: 'One patient, with its version as ETag',
    description: 'BILLING gets id, name, email and address only.',
  })
  @ApiOkResponse({ schema: PATIENT_VIEW_SCHEMA, headers: { ETag: { description: 'The record version', schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async get(
    @Param('id', PatientIdPipe) id: string,
    @CurrentUser() caller: AccessTokenClaims,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse | PatientContactResponse> {
    const { view, version } = await this.records.read(id, caller.role);
    response.setHeader('ETag', etagOf({ version }));
    return view;
  }

  @Put(':id')
  @Access('PUT /patients/{id}')
  @Audited('UPDATE')
  @ApiOperation({ operationId: 'PatientsController_update', summary: "Replaces a patient's details; registeredDate may be left out" })
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag last read (W/"<version>"): the update applies only if the record is still at that version. Optional.',
  })
  @ApiOkResponse({ type: PatientResponse, headers: { ETag: { description: 'The new version', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: 'Every invalid field is named in `errors`' })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiConflictResponse({ description: 'Another patient has this email' })
  @ApiPreconditionFailedResponse({ description: 'If-Match names a version the record no longer has; read it again' })
  @ApiErrors(PatientErrors.NotFound, PatientErrors.EmailTaken, PatientErrors.VersionMismatch)
  async update(
    @Param('id', PatientIdPipe) id: string,
    @Body() body: UpdatePatientDto,
    @RequestId() requestId: string,
    @IfMatch() acceptedVersions: number[] | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse> {
    const changes = { name: body.name, email: body.email, address: body.address, dateOfBirth: body.dateOfBirth, registeredDate: body.registeredDate };
    const patient = await this.records.update(id, changes, requestId, acceptedVersions);
    response.setHeader('ETag', etagOf(patient));
    return PatientResponse.from(patient);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Access('DELETE /patients/{id}')
  @Audited('DELETE')
  @ApiOperation({
    operationId: 'PatientsController_remove',
    summary: 'Removes a patient (soft delete)',
    description:
      'The record is hidden from reads and lists (404) but kept for the audit trail; POST /patients/{id}/restore brings it back. ' +
      'Its email becomes free for another patient. Publishes PATIENT_DELETED.',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async remove(@Param('id', PatientIdPipe) id: string, @RequestId() requestId: string): Promise<void> {
    await this.records.delete(id, requestId);
  }

  @Post(':id/restore')
  @HttpCode(HttpStatus.OK)
  @Access('POST /patients/{id}/restore')
  @Audited('RESTORE')
  @ApiOperation({
    operationId: 'PatientsController_restore',
    summary: 'Brings back a deleted patient',
    description:
      'Publishes PATIENT_CREATED (the contract has no restore event; consumers count the patient as present again). ' +
      'A patient that is not deleted is answered as it is, with no event.',
  })
  @ApiOkResponse({ type: PatientResponse, headers: { ETag: { description: 'The record version', schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No such patient, deleted or not' })
  @ApiConflictResponse({ description: 'Another patient has taken its email since it was deleted' })
  @ApiErrors(PatientErrors.NotFound, PatientErrors.EmailTaken)
  async restore(
    @Param('id', PatientIdPipe) id: string,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse> {
    const patient = await this.records.restore(id, requestId);
    response.setHeader('ETag', etagOf(patient));
    return PatientResponse.from(patient);
  }
}
