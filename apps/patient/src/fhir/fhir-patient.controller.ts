import { Body, Controller, Get, Header, Headers, HttpStatus, Param, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Bundle, Patient as FhirPatient } from '@medplum/fhirtypes';
import { Access, AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { FHIR_JSON } from '@pm/fhir';
import { RequestId } from '@pm/platform';
import type { Request, Response } from 'express';
import { AuditInterceptor, Audited } from '../audit/audited';
import { RecordsService } from '../patients/records/records.service';
import { CreatePatientDto } from '../patients/shared/dto/patient-body.dto';
import { etagOf } from '../patients/shared/patient-etag';
import { registrationRequest } from '../patients/registration/dto/registration-request';
import { RegistrationService } from '../patients/registration/registration.service';
import { SearchService } from '../patients/search/search.service';
import { FhirAnswers } from './fhir-docs';
import { FhirEverythingService } from './fhir-everything.service';
import { FhirIdPipe } from './fhir-id.pipe';
import { resourceOf, validatedAs, withFhirPaths } from './fhir-input';
import { fhirBaseOf, searchPage } from '@pm/fhir';
import { PATIENT_PATHS, patientBodyOf, toFhirPatient } from './fhir-patient.mapping';
import { DEFAULT_FHIR_COUNT, MAX_FHIR_COUNT, parsePatientSearch } from './fhir-search';
import { OperationOutcomeFilter } from './operation-outcome.filter';
import type { RecordCaller } from '../record-access/record-access';
import { CallerOfRecord } from '../record-access/record-caller.decorator';

/**
 * FHIR R4 Patient over the patients' own services: read (RecordsService), search (SearchService,
 * the REST search's matching), create (RegistrationService: the same validation, duplicate check,
 * outbox and billing account as POST /patients) and `$everything`. Only translation happens here.
 */
@ApiTags('FHIR')
@ApiBearerAuth()
@Controller('fhir/R4')
@UseFilters(OperationOutcomeFilter)
@UseInterceptors(AuditInterceptor)
export class FhirPatientController {
  constructor(
    private readonly records: RecordsService,
    private readonly search: SearchService,
    private readonly registration: RegistrationService,
    private readonly everythingOf: FhirEverythingService,
  ) {}

  @Get('Patient')
  @Header('Content-Type', FHIR_JSON)
  @Access('GET /fhir/R4/Patient')
  @Audited('LIST')
  @ApiOperation({
    operationId: 'FhirPatient_search',
    summary: 'Searches patients (FHIR R4): a searchset Bundle, paged with next links',
    description:
      '`name` matches like the REST search (typos tolerated), `birthdate` an exact date only (birth dates are encrypted), ' +
      '`email` exactly (any case); all given must hold. `total` is left out when a name search is capped (2000 matches).',
  })
  @ApiQuery({ name: 'name', required: false })
  @ApiQuery({ name: 'birthdate', required: false, description: 'YYYY-MM-DD' })
  @ApiQuery({ name: 'email', required: false })
  @ApiQuery({ name: '_count', required: false, description: `1 to ${MAX_FHIR_COUNT} (default ${DEFAULT_FHIR_COUNT})` })
  @ApiQuery({ name: '_offset', required: false, description: 'How many matches to skip (default 0); the next link carries it' })
  @FhirAnswers.search('Patient', 'The matching patients, best match first (by name without a name search)')
  async searchPatients(@Query() query: Record<string, unknown>, @Req() request: Request): Promise<Bundle> {
    const criteria = parsePatientSearch(query);
    const { patients, total, capped } = await this.search.find(criteria);
    const entries = patients.map((patient) => ({ resource: toFhirPatient(patient) }));
    // A capped search leaves total out, yet its next links still page through what was ranked.
    const bundle = searchPage(request, entries, criteria, total);
    if (capped) delete bundle.total;
    return bundle;
  }

  @Get('Patient/:id')
  @Header('Content-Type', FHIR_JSON)
  @Access('GET /fhir/R4/Patient/{id}')
  @Audited('READ')
  @ApiOperation({ operationId: 'FhirPatient_read', summary: 'A patient as a FHIR R4 Patient' })
  @FhirAnswers.read('Patient')
  async read(@Param('id', FhirIdPipe) id: string, @Res({ passthrough: true }) response: Response): Promise<FhirPatient> {
    const patient = await this.records.get(id);
    response.setHeader('ETag', etagOf(patient));
    return toFhirPatient(patient);
  }

  @Post('Patient')
  @Header('Content-Type', FHIR_JSON)
  @Access('POST /fhir/R4/Patient')
  @Audited('CREATE')
  @ApiOperation({
    operationId: 'FhirPatient_create',
    summary: 'Registers a patient from a FHIR R4 Patient, as POST /patients does',
    description:
      'One name, one email (telecom system email), one address, birthDate, and optionally the registered date ' +
      '(extension urn:pm:fhir:StructureDefinition/registered-date, valueDate; today otherwise). Other elements are refused.',
  })
  @ApiQuery({ name: 'confirmDuplicate', required: false, enum: ['true', 'false'], description: 'Registers the patient although a likely duplicate exists' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'As on POST /patients: a retry answers the first result' })
  @FhirAnswers.create('Patient')
  @ApiResponse({ status: HttpStatus.CONFLICT, description: 'The email is taken, or a likely duplicate exists (confirmDuplicate=true registers it)', content: FhirAnswers.outcome })
  async create(
    @Body() body: unknown,
    @Query('confirmDuplicate') confirmDuplicate: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentUser() caller: AccessTokenClaims,
    @RequestId() requestId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FhirPatient> {
    const rest = patientBodyOf(resourceOf(body, 'Patient'), new Date().toISOString().slice(0, 10));
    const validated = await validatedAs(CreatePatientDto, rest, PATIENT_PATHS);
    const patient = await withFhirPaths(PATIENT_PATHS, () =>
      this.registration.register(registrationRequest(validated, { idempotencyKey, confirmDuplicate }), { actorId: caller.userId, requestId }),
    );
    response.status(HttpStatus.CREATED);
    response.setHeader('Location', `${fhirBaseOf(request)}/Patient/${patient.id}`);
    response.setHeader('ETag', etagOf(patient));
    return toFhirPatient(patient);
  }

  @Get('Patient/:id/$everything')
  @Header('Content-Type', FHIR_JSON)
  @Access('GET /fhir/R4/Patient/{id}/$everything')
  @Audited('READ')
  @ApiOperation({
    operationId: 'FhirPatient_everything',
    summary: "The patient's record in one Bundle: the Patient, its clinical resources and its Appointments",
    description:
      'The Patient, every AllergyIntolerance, Condition, MedicationStatement and Observation that the searches list, and the ' +
      "patient's Appointments from the appointment service (asked with the caller's token). 503/504 when that service is unreachable or slow.",
  })
  @FhirAnswers.read('Bundle')
  @ApiResponse({ status: HttpStatus.SERVICE_UNAVAILABLE, description: 'The appointment service is unreachable or failed', content: FhirAnswers.outcome })
  @ApiResponse({ status: HttpStatus.GATEWAY_TIMEOUT, description: 'The appointment service did not answer in time', content: FhirAnswers.outcome })
  async everything(@Param('id', FhirIdPipe) id: string, @CallerOfRecord() caller: RecordCaller, @RequestId() requestId: string, @Req() request: Request): Promise<Bundle> {
    const resources = await this.everythingOf.everything(id, { ...caller, authorization: request.headers.authorization ?? '', requestId });
    const entries = resources.map((resource, index) => ({ resource, mode: index === 0 ? ('match' as const) : ('include' as const) }));
    return searchPage(request, entries, { offset: 0, size: entries.length }, entries.length);
  }
}
