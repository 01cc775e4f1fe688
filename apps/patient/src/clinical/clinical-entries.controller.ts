import { Body, Controller, applyDecorators, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Res, Type, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Access, type RouteKey } from '@pm/auth-tokens';
import { ApiErrors, DomainErrorClass, ForwardedPrefix, createValidationPipe } from '@pm/platform';
import type { Response } from 'express';
import { AuditInterceptor, Audited } from '../audit/audited';
import { IfMatch } from '../patients/records/preconditions';
import { etagOf } from '../patients/shared/patient-etag';
import { PatientIdPipe } from '../patients/shared/patient-id.pipe';
import { PatientErrors } from '../patients/shared/patient.errors';
import type { RecordCaller } from '../record-access/record-access';
import { RecordAccessErrors } from '../record-access/record-access.errors';
import { ACCESS_REASON_API_HEADER, CallerOfRecord } from '../record-access/record-caller.decorator';
import { CLINICAL_CHANGES } from './clinical-entry';
import { CLINICAL_RULES, ClinicalKind } from './clinical-kinds';
import { CLINICAL_MAPPINGS, toResponse } from './clinical-mappings';
import { ClinicalErrors } from './clinical.errors';
import { ClinicalService } from './clinical.service';
import { DEFAULT_CLINICAL_PAGE_SIZE, MAX_CLINICAL_PAGE_SIZE, parseClinicalListQuery, parseFlag } from './dto/clinical-list.query';
import { EnteredInErrorRequest } from './dto/clinical-requests';
import { ClinicalEntryResponse } from './dto/clinical-responses';
import { EntryIdPipe } from './entry-id.pipe';

// What recording some kinds may answer besides a missing patient.
const KIND_ERRORS: Partial<Record<ClinicalKind, DomainErrorClass[]>> = {
  notes: [ClinicalErrors.AmendedNoteNotFound],
  medications: [ClinicalErrors.MedicationAllergyConflict],
  allergies: [ClinicalErrors.AllergiesKnown],
};

const ETAG_HEADER = { ETag: { description: 'The entry version', schema: { type: 'string' } } };
const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'The ETag last read (W/"<version>"): the change applies only if the entry is still at that version. Optional.',
};

// What a restricted record answers a clinician outside its care team.
const READ_REFUSALS = [RecordAccessErrors.Restricted, RecordAccessErrors.AccessReasonInvalid];
const WRITE_REFUSALS = [RecordAccessErrors.RestrictedWrite];

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const pascal = (text: string) => text.split(' ').map(capitalised).join('');
const article = (noun: string) => `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;

/** A class named `name` for OpenAPI (a schema is named after its class). */
function named<T extends Type<unknown>>(name: string, type: T): T {
  Object.defineProperty(type, 'name', { value: name });
  return type;
}

/**
 * The controller of one kind of clinical entry below a patient: record, list, read, correct
 * (not notes), mark entered-in-error, history. Every kind is served by the same handlers, typed
 * and documented with its own request and answer; who may call each route is ACCESS_POLICY's.
 */
function clinicalEntriesController(kind: ClinicalKind): Type<unknown> {
  const rules = CLINICAL_RULES[kind];
  const { request, response } = CLINICAL_MAPPINGS[kind];
  const noun = rules.noun;
  const prefix = pascal(noun);
  const list = `/patients/{id}/${kind}` as const;
  const entry = `${list}/{entryId}` as const;
  const key = (method: string, path: string) => `${method} ${path}` as RouteKey;
  // Built only for the kinds that have the route: the policy names no PUT of a note.
  const ifCorrectable = (decorators: () => MethodDecorator[]): MethodDecorator => (rules.correctable ? applyDecorators(...decorators()) : () => undefined);
  const ifKind = (only: ClinicalKind, decorators: () => MethodDecorator[]): MethodDecorator => (kind === only ? applyDecorators(...decorators()) : () => undefined);

  class PageResponse {
    @ApiProperty({ type: [response], description: 'Newest first; entries marked entered-in-error are left out' })
    entries: ClinicalEntryResponse[];

    @ApiProperty({ example: 1 })
    page: number;

    @ApiProperty({ example: DEFAULT_CLINICAL_PAGE_SIZE })
    size: number;

    @ApiProperty({ example: 1 })
    totalPages: number;

    @ApiProperty({ example: 3 })
    totalElements: number;
  }
  named(`${prefix}PageResponse`, PageResponse);

  class VersionResponse {
    @ApiProperty({ example: 1 })
    version: number;

    @ApiProperty({ enum: CLINICAL_CHANGES })
    change: string;

    @ApiProperty({ description: 'The user id of who made the change' })
    changedBy: string;

    @ApiProperty({ format: 'date-time' })
    changedAt: string;

    @ApiProperty({ type: response, description: 'The entry as this change left it' })
    entry: ClinicalEntryResponse;
  }
  named(`${prefix}VersionResponse`, VersionResponse);

  @ApiTags('medical record')
  @ApiBearerAuth()
  @Controller('patients/:id')
  @UseInterceptors(AuditInterceptor)
  class ClinicalEntriesController {
    constructor(readonly clinical: ClinicalService) {}

    @Post(kind)
    @Access(key('POST', list))
    @Audited('CREATE')
    @ApiOperation({ operationId: `${prefix}_record`, summary: `Records ${article(noun)}` })
    @ApiBody({ type: request })
    @ApiCreatedResponse({ type: response, headers: { ...ETAG_HEADER, Location: { description: 'Where the entry is read', schema: { type: 'string' } } } })
    @ApiBadRequestResponse({ description: 'Every invalid field is named in `errors`' })
    @ApiNotFoundResponse({ description: 'No such patient' })
    @ApiErrors(PatientErrors.NotFound, ...(KIND_ERRORS[kind] ?? []), ...WRITE_REFUSALS)
    @ifKind('medications', () => [
      ApiQuery({ name: 'acknowledgeAllergy', required: false, type: Boolean, description: 'Records it although it matches an active allergy (409 otherwise)' }),
    ])
    async record(
      @Param('id', PatientIdPipe) patientId: string,
      @Query('acknowledgeAllergy') acknowledgeAllergy: unknown,
      @Body(createValidationPipe({ expectedType: request })) body: object,
      @CallerOfRecord() caller: RecordCaller,
      @ForwardedPrefix() forwardedPrefix: string,
      @Res({ passthrough: true }) res: Response,
    ): Promise<ClinicalEntryResponse> {
      const options = { acknowledgeAllergy: kind === 'medications' && parseFlag('acknowledgeAllergy', acknowledgeAllergy) };
      const recorded = await this.clinical.record(patientId, kind, CLINICAL_MAPPINGS[kind].toFields(body), caller, options);
      res.setHeader('Location', `${forwardedPrefix}/patients/${patientId}/${kind}/${recorded.id}`);
      res.setHeader('ETag', etagOf(recorded));
      return toResponse(recorded);
    }

    @Get(kind)
    @Access(key('GET', list))
    @Audited('LIST')
    @ApiOperation({ operationId: `${prefix}_list`, summary: `A page of the patient's ${kind === 'vitals' ? 'vital signs' : kind}, newest first` })
    @ApiQuery({ name: 'page', required: false, description: 'Counts from 1', example: 1 })
    @ApiQuery({ name: 'size', required: false, description: `1 to ${MAX_CLINICAL_PAGE_SIZE}`, example: DEFAULT_CLINICAL_PAGE_SIZE })
    @ApiQuery({ name: 'status', required: false, enum: rules.statuses })
    @ApiOkResponse({ type: PageResponse })
    @ApiHeader(ACCESS_REASON_API_HEADER)
    @ApiBadRequestResponse({ description: 'A paging or status parameter is invalid; `errors` names it' })
    @ApiNotFoundResponse({ description: 'No such patient' })
    @ApiErrors(PatientErrors.NotFound, ...READ_REFUSALS)
    async list(@Param('id', PatientIdPipe) patientId: string, @Query() query: Record<string, unknown>, @CallerOfRecord() caller: RecordCaller): Promise<object> {
      const options = parseClinicalListQuery(query, rules.statuses);
      const { items, total } = await this.clinical.list(patientId, kind, options, caller);
      return { entries: items.map(toResponse), page: options.page, size: options.size, totalPages: Math.ceil(total / options.size), totalElements: total };
    }

    @Get(`${kind}/:entryId`)
    @Access(key('GET', entry))
    @Audited('READ')
    @ApiOperation({ operationId: `${prefix}_get`, summary: `One ${noun}, with its version as ETag (also one marked entered-in-error)` })
    @ApiHeader(ACCESS_REASON_API_HEADER)
    @ApiOkResponse({ type: response, headers: ETAG_HEADER })
    @ApiNotFoundResponse({ description: 'No such patient, or no such entry of the patient' })
    @ApiErrors(PatientErrors.NotFound, ClinicalErrors.NotFound, ...READ_REFUSALS)
    async get(
      @Param('id', PatientIdPipe) patientId: string,
      @Param('entryId', EntryIdPipe) id: string,
      @CallerOfRecord() caller: RecordCaller,
      @Res({ passthrough: true }) res: Response,
    ): Promise<ClinicalEntryResponse> {
      const found = await this.clinical.read({ patientId, kind, id }, caller);
      res.setHeader('ETag', etagOf(found));
      return toResponse(found);
    }

    @Post(`${kind}/:entryId/entered-in-error`)
    @HttpCode(HttpStatus.OK)
    @Access(key('POST', `${entry}/entered-in-error`))
    @Audited('UPDATE')
    @ApiOperation({
      operationId: `${prefix}_enteredInError`,
      summary: `Marks ${article(noun)} entered-in-error`,
      description: 'Nothing clinical is deleted: the entry is hidden from lists and the chart, and kept with the reason.',
    })
    @ApiHeader(IF_MATCH)
    @ApiBody({ type: EnteredInErrorRequest })
    @ApiOkResponse({ type: response, headers: ETAG_HEADER })
    @ApiNotFoundResponse({ description: 'No such patient, or no such entry of the patient' })
    @ApiErrors(PatientErrors.NotFound, ClinicalErrors.NotFound, ClinicalErrors.EnteredInError, ClinicalErrors.VersionMismatch, ...WRITE_REFUSALS)
    async markEnteredInError(
      @Param('id', PatientIdPipe) patientId: string,
      @Param('entryId', EntryIdPipe) id: string,
      @Body() body: EnteredInErrorRequest,
      @IfMatch() acceptedVersions: number[] | undefined,
      @CallerOfRecord() caller: RecordCaller,
      @Res({ passthrough: true }) res: Response,
    ): Promise<ClinicalEntryResponse> {
      const marked = await this.clinical.markEnteredInError({ patientId, kind, id }, body.reason, acceptedVersions, caller);
      res.setHeader('ETag', etagOf(marked));
      return toResponse(marked);
    }

    @Get(`${kind}/:entryId/history`)
    @Access(key('GET', `${entry}/history`))
    @Audited('READ')
    @ApiOperation({ operationId: `${prefix}_history`, summary: `Every version of ${article(noun)}, oldest first, with who changed it and when` })
    @ApiHeader(ACCESS_REASON_API_HEADER)
    @ApiOkResponse({ type: [VersionResponse] })
    @ApiNotFoundResponse({ description: 'No such patient, or no such entry of the patient' })
    @ApiErrors(PatientErrors.NotFound, ClinicalErrors.NotFound, ...READ_REFUSALS)
    async history(
      @Param('id', PatientIdPipe) patientId: string,
      @Param('entryId', EntryIdPipe) id: string,
      @CallerOfRecord() caller: RecordCaller,
    ): Promise<object[]> {
      const versions = await this.clinical.history({ patientId, kind, id }, caller);
      return versions.map(({ version, change, changedBy, changedAt, entry: state }) => ({
        version,
        change,
        changedBy,
        changedAt: changedAt.toISOString(),
        entry: toResponse(state),
      }));
    }
    // Notes are never corrected (an addendum is a new note): for them this method has no route.
    @ifCorrectable(() => [
      Put(`${kind}/:entryId`),
      Access(key('PUT', entry)),
      Audited('UPDATE'),
      ApiOperation({ operationId: `${prefix}_correct`, summary: `Corrects ${article(noun)}: a new version replaces its fields` }),
      ApiHeader(IF_MATCH),
      ApiBody({ type: request }),
      ApiOkResponse({ type: response, headers: ETAG_HEADER }),
      ApiBadRequestResponse({ description: 'Every invalid field is named in `errors`' }),
      ApiNotFoundResponse({ description: 'No such patient, or no such entry of the patient' }),
      ApiErrors(PatientErrors.NotFound, ClinicalErrors.NotFound, ClinicalErrors.EnteredInError, ClinicalErrors.VersionMismatch, ...WRITE_REFUSALS),
    ])
    async correct(
      @Param('id', PatientIdPipe) patientId: string,
      @Param('entryId', EntryIdPipe) id: string,
      @Body(createValidationPipe({ expectedType: request })) body: object,
      @IfMatch() acceptedVersions: number[] | undefined,
      @CallerOfRecord() caller: RecordCaller,
      @Res({ passthrough: true }) res: Response,
    ): Promise<ClinicalEntryResponse> {
      const corrected = await this.clinical.correct({ patientId, kind, id }, CLINICAL_MAPPINGS[kind].toFields(body), acceptedVersions, caller);
      res.setHeader('ETag', etagOf(corrected));
      return toResponse(corrected);
    }
  }


  return named(`${prefix}Controller`, ClinicalEntriesController);
}

export const AllergiesController = clinicalEntriesController('allergies');
export const ConditionsController = clinicalEntriesController('conditions');
export const MedicationsController = clinicalEntriesController('medications');
export const VitalSignsController = clinicalEntriesController('vitals');
export const NotesController = clinicalEntriesController('notes');
