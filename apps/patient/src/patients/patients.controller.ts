import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, Post, Put, Query, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiQuery,
  ApiUnprocessableEntityResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AccessTokenClaims, CurrentUser, Roles } from '@pm/auth-tokens';
import { ApiErrors, ProblemException } from '@pm/problem';
import type { Response } from 'express';
import { AuditInterceptor, Audited } from '../audit/audited';
import { ForwardedPrefix, RequestId } from '../http/request-context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SortablePatientFields, parseListPatientsQuery } from './dto/list-patients.query';
import { CreatePatientDto, UpdatePatientDto } from './dto/patient-body.dto';
import { PATIENT_VIEW_SCHEMA, PatientContactResponse, PatientPageResponse, PatientResponse } from './dto/patient.response';
import { Patient } from './patient.entity';
import { PatientIdPipe } from './patient-id.pipe';
import { PatientErrors } from './patient.errors';
import { acceptedVersions, idempotencyKey } from './preconditions';
import { patientViewFor, sortableFieldsFor } from './patient-view';
import { PatientsService } from './patients.service';

/** `?confirmDuplicate=true|false` (absent: false); anything else is a 400 naming it. */
function parseConfirmDuplicate(value: unknown): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw ProblemException.badRequest('The query has invalid parameters', { confirmDuplicate: 'confirmDuplicate must be true or false' });
}

/** The record's version as a weak ETag. */
function etagOf(patient: Patient): string {
  return `W/"${patient.version}"`;
}

// Who may do what (contract): ADMIN everything; DOCTOR and NURSE read, create and update;
// BILLING reads the contact details only (patientViewFor); ANALYST nothing.
const READERS = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING'] as const;
const WRITERS = ['ADMIN', 'DOCTOR', 'NURSE'] as const;
const REMOVERS = ['ADMIN'] as const;

@ApiTags('patients')
@ApiBearerAuth()
@ApiExtraModels(PatientResponse, PatientContactResponse)
@Controller('patients')
@UseInterceptors(AuditInterceptor)
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Get()
  @Roles(...READERS)
  @Audited('LIST')
  @ApiOperation({
    summary: 'A page of patients, sorted, optionally filtered by name or email',
    description: 'BILLING gets id, name, email and address of each patient only, and may sort by name and email only.',
  })
  @ApiQuery({ name: 'page', required: false, description: 'Counts from 1', example: 1 })
  @ApiQuery({ name: 'size', required: false, description: `1 to ${MAX_PAGE_SIZE}`, example: DEFAULT_PAGE_SIZE })
  @ApiQuery({ name: 'sort', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'sortField', required: false, enum: SortablePatientFields, description: 'Encrypted fields (address, dateOfBirth) cannot be sorted by; BILLING sorts by name or email only' })
  @ApiQuery({ name: 'searchValue', required: false, description: 'Part of a name or email, any case' })
  @ApiOkResponse({ type: PatientPageResponse })
  @ApiBadRequestResponse({ description: 'A paging or sorting parameter is invalid; `errors` names it' })
  async list(@Query() rawQuery: Record<string, unknown>, @CurrentUser() caller: AccessTokenClaims): Promise<PatientPageResponse> {
    const query = parseListPatientsQuery(rawQuery, sortableFieldsFor(caller.role));
    const { patients, totalElements } = await this.patients.list(query);
    return {
      patients: patients.map((patient) => patientViewFor(caller.role, patient)),
      page: query.page,
      size: query.size,
      totalPages: Math.ceil(totalElements / query.size),
      totalElements,
    };
  }

  @Get(':id')
  @Roles(...READERS)
  @Audited('READ')
  @ApiOperation({ summary: 'One patient, with its version as ETag', description: 'BILLING gets id, name, email and address only.' })
  @ApiOkResponse({ schema: PATIENT_VIEW_SCHEMA, headers: { ETag: { description: 'The record version', schema: { type: 'string' } } } })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async get(
    @Param('id', PatientIdPipe) id: string,
    @CurrentUser() caller: AccessTokenClaims,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse | PatientContactResponse> {
    const patient = await this.patients.get(id);
    response.setHeader('ETag', etagOf(patient));
    return patientViewFor(caller.role, patient);
  }

  @Post()
  @Roles(...WRITERS)
  @Audited('CREATE')
  @ApiOperation({ summary: 'Registers a patient and opens their billing account' })
  @ApiHeader({ name: 'X-Forwarded-Prefix', required: false, description: 'Set by the gateway; prefixes Location' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes retries safe: a create repeated by the same user with the same key and body answers the first result ' +
      '(201, same Location) and never makes a second patient, even when both arrive at once. A key is remembered for ' +
      'IDEMPOTENCY_KEY_TTL_HOURS (24 by default); after that a create with it is a new one. 1 to 255 visible ASCII characters.',
  })
  @ApiCreatedResponse({ type: PatientResponse, headers: { Location: { description: 'The new patient', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: 'Every invalid field (or a malformed Idempotency-Key) is named in `errors`' })
  @ApiQuery({
    name: 'confirmDuplicate',
    required: false,
    enum: ['true', 'false'],
    description: 'true registers the patient even when a live patient has the same birth date and a similar name',
  })
  @ApiConflictResponse({
    description:
      'A patient with this email already exists (`errors.email`), or, without confirmDuplicate=true, a live patient has the same ' +
      'birth date and a similar name (`candidates`: their ids)',
  })
  @ApiUnprocessableEntityResponse({ description: 'The Idempotency-Key was already used for a create with other details' })
  @ApiErrors(PatientErrors.EmailTaken, PatientErrors.LikelyDuplicate, PatientErrors.IdempotencyKeyReused)
  async create(
    @Body() body: CreatePatientDto,
    @Query('confirmDuplicate') confirmDuplicateParam: unknown,
    @RequestId() requestId: string,
    @ForwardedPrefix() prefix: string,
    @CurrentUser() caller: AccessTokenClaims,
    @Headers('idempotency-key') keyHeader: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse> {
    const key = idempotencyKey(keyHeader);
    const confirmDuplicate = parseConfirmDuplicate(confirmDuplicateParam);
    const details = { name: body.name, email: body.email, address: body.address, dateOfBirth: body.dateOfBirth, registeredDate: body.registeredDate };
    const patient = key
      ? await this.patients.createOnce(details, requestId, { actorId: caller.userId, key }, confirmDuplicate)
      : await this.patients.create(details, requestId, confirmDuplicate);
    response.setHeader('Location', `${prefix}/patients/${patient.id}`);
    response.setHeader('ETag', etagOf(patient));
    return PatientResponse.from(patient);
  }

  @Put(':id')
  @Roles(...WRITERS)
  @Audited('UPDATE')
  @ApiOperation({ summary: "Replaces a patient's details; registeredDate may be left out" })
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
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse> {
    const patient = await this.patients.update(
      id,
      { name: body.name, email: body.email, address: body.address, dateOfBirth: body.dateOfBirth, registeredDate: body.registeredDate },
      requestId,
      acceptedVersions(ifMatch),
    );
    response.setHeader('ETag', etagOf(patient));
    return PatientResponse.from(patient);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Roles(...REMOVERS)
  @Audited('DELETE')
  @ApiOperation({
    summary: 'Removes a patient (soft delete)',
    description:
      'The record is hidden from reads and lists (404) but kept for the audit trail; POST /patients/{id}/restore brings it back. ' +
      'Its email becomes free for another patient. Publishes PATIENT_DELETED.',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ description: 'No such patient' })
  @ApiErrors(PatientErrors.NotFound)
  async remove(@Param('id', PatientIdPipe) id: string, @RequestId() requestId: string): Promise<void> {
    await this.patients.delete(id, requestId);
  }

  @Post(':id/restore')
  @HttpCode(HttpStatus.OK)
  @Roles(...REMOVERS)
  @Audited('RESTORE')
  @ApiOperation({
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
    const patient = await this.patients.restore(id, requestId);
    response.setHeader('ETag', etagOf(patient));
    return PatientResponse.from(patient);
  }
}
