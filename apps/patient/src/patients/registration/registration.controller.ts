import { Body, Controller, Headers, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import type { Response } from 'express';
import { AuditInterceptor, Audited } from '../../audit/audited';
import { ForwardedPrefix, RequestId, ApiErrors } from '@pm/platform';
import { CreatePatientDto } from '../shared/dto/patient-body.dto';
import { PatientResponse } from '../shared/dto/patient.response';
import { etagOf } from '../shared/patient-etag';
import { registrationRequest } from './dto/registration-request';
import { RegistrationService } from './registration.service';
import { PatientErrors } from '../shared/patient.errors';

/** POST /patients: registers a patient. */
@ApiTags('patients')
@ApiBearerAuth()
@Controller('patients')
@UseInterceptors(AuditInterceptor)
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  @Post()
  @Access('POST /patients')
  @Audited('CREATE')
  @ApiOperation({ operationId: 'PatientsController_create', summary: 'Registers a patient and opens their billing account' })
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
    @Query('confirmDuplicate') confirmDuplicate: unknown,
    @RequestId() requestId: string,
    @ForwardedPrefix() prefix: string,
    @CurrentUser() caller: AccessTokenClaims,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PatientResponse> {
    const request = registrationRequest(body, { idempotencyKey, confirmDuplicate });
    const patient = await this.registration.register(request, { actorId: caller.userId, requestId });
    response.setHeader('Location', `${prefix}/patients/${patient.id}`);
    response.setHeader('ETag', etagOf(patient));
    return PatientResponse.from(patient);
  }
}
