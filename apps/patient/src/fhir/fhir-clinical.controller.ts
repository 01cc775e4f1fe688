import { Body, Controller, Get, Header, HttpStatus, Param, Post, Query, Req, Res, Type, UseFilters, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Access, type RouteKey } from '@pm/auth-tokens';
import { FHIR_JSON } from '@pm/fhir';
import type { Request, Response } from 'express';
import { AuditInterceptor, Audited } from '../audit/audited';
import { CLINICAL_MAPPINGS } from '../clinical/clinical-mappings';
import { ClinicalService } from '../clinical/clinical.service';
import { parseFlag } from '../clinical/dto/clinical-list.query';
import { etagOf } from '../patients/shared/patient-etag';
import type { RecordCaller } from '../record-access/record-access';
import { CallerOfRecord } from '../record-access/record-caller.decorator';
import { FhirAnswers } from './fhir-docs';
import { FHIR_CLINICAL_MAPPINGS, type FhirClinicalType } from './fhir-clinical.mapping';
import { FhirIdPipe } from './fhir-id.pipe';
import { resourceOf, validatedAs, withFhirPaths } from './fhir-input';
import { fhirBaseOf, searchPage } from '@pm/fhir';
import { DEFAULT_FHIR_COUNT, MAX_FHIR_COUNT, parseClinicalSearch } from './fhir-search';
import { OperationOutcomeFilter } from './operation-outcome.filter';

/**
 * The controller of one clinical FHIR resource: read by id, search by patient, create. Each is a
 * translation onto ClinicalService (the REST routes' service): a posted resource becomes the REST
 * body, validated by the REST rules, and recorded as the REST route records it.
 */
function fhirClinicalController(type: FhirClinicalType): Type<unknown> {
  const mapping = FHIR_CLINICAL_MAPPINGS[type];
  const { kind } = mapping;
  const observation = type === 'Observation';
  const key = (method: 'GET' | 'POST', path: string) => `${method} /fhir/R4/${path}` as RouteKey;
  const ifObservation = (decorators: () => MethodDecorator[]): MethodDecorator => (observation ? applyDecorators(...decorators()) : () => undefined);
  const ifMedication = (decorators: () => MethodDecorator[]): MethodDecorator => (kind === 'medications' ? applyDecorators(...decorators()) : () => undefined);

  @ApiTags('FHIR')
  @ApiBearerAuth()
  @Controller('fhir/R4')
  @UseFilters(OperationOutcomeFilter)
  @UseInterceptors(AuditInterceptor)
  class FhirClinicalController {
    constructor(readonly clinical: ClinicalService) {}

    @Get(type)
    @Header('Content-Type', FHIR_JSON)
    @Access(key('GET', type))
    @Audited('LIST')
    @ApiOperation({ operationId: `Fhir${type}_search`, summary: `A patient's ${type} resources (FHIR R4 search), newest first, as the REST list` })
    @ApiQuery({ name: 'patient', required: true, description: 'Patient/{id} or the id' })
    @ifObservation(() => [
      ApiQuery({ name: 'category', required: false, description: 'Only vital-signs is served' }),
      ApiQuery({ name: 'code', required: false, description: 'A LOINC code, optionally as http://loinc.org|8867-4' }),
    ])
    @ApiQuery({ name: '_count', required: false, description: `1 to ${MAX_FHIR_COUNT} (default ${DEFAULT_FHIR_COUNT})` })
    @ApiQuery({ name: '_offset', required: false, description: 'How many entries to skip (default 0); the next link carries it' })
    @FhirAnswers.search(type, 'Live entries (not those marked entered-in-error), newest first, with total')
    @ApiResponse({ status: HttpStatus.NOT_FOUND, description: 'No such patient', content: FhirAnswers.outcome })
    async search(@Query() query: Record<string, unknown>, @CallerOfRecord() caller: RecordCaller, @Req() request: Request): Promise<Bundle> {
      const { patientId, code, offset, size } = parseClinicalSearch(query, { observation });
      const { items, total } = await this.clinical.list(patientId, kind, { page: 1, size, offset, code }, caller);
      const entries = items.map((entry) => ({ resource: mapping.toFhir(entry) as Resource }));
      return searchPage(request, entries, { offset, size }, total);
    }

    @Get(`${type}/:id`)
    @Header('Content-Type', FHIR_JSON)
    @Access(key('GET', `${type}/{id}`))
    @Audited('READ')
    @ApiOperation({ operationId: `Fhir${type}_read`, summary: `One ${type} (FHIR R4); one marked entered-in-error reads back with that status` })
    @FhirAnswers.read(type)
    async read(@Param('id', FhirIdPipe) id: string, @CallerOfRecord() caller: RecordCaller, @Res({ passthrough: true }) response: Response): Promise<Resource> {
      const entry = await this.clinical.readById(kind, id, caller);
      response.setHeader('ETag', etagOf(entry));
      return mapping.toFhir(entry);
    }

    @Post(type)
    @Header('Content-Type', FHIR_JSON)
    @Access(key('POST', type))
    @Audited('CREATE')
    @ApiOperation({ operationId: `Fhir${type}_create`, summary: `Records a ${type} (FHIR R4) as the REST route records it, with the same rules` })
    @ifMedication(() => [
      ApiQuery({ name: 'acknowledgeAllergy', required: false, type: Boolean, description: 'Records it although it matches an active allergy (409 otherwise)' }),
    ])
    @FhirAnswers.create(type)
    @ApiResponse({ status: HttpStatus.NOT_FOUND, description: 'No such patient', content: FhirAnswers.outcome })
    @ApiResponse({ status: HttpStatus.CONFLICT, description: 'The REST rules refuse it (an allergy conflict, "no known allergies" against an active allergy)', content: FhirAnswers.outcome })
    async create(
      @Body() body: unknown,
      @Query('acknowledgeAllergy') acknowledgeAllergy: unknown,
      @CallerOfRecord() caller: RecordCaller,
      @Req() request: Request,
      @Res({ passthrough: true }) response: Response,
    ): Promise<Resource> {
      const { patientId, body: rest } = mapping.fromFhir(resourceOf(body, type));
      const validated = await validatedAs(CLINICAL_MAPPINGS[kind].request, rest, mapping.paths);
      const options = { acknowledgeAllergy: kind === 'medications' && parseFlag('acknowledgeAllergy', acknowledgeAllergy) };
      const recorded = await withFhirPaths(mapping.paths, () => this.clinical.record(patientId, kind, CLINICAL_MAPPINGS[kind].toFields(validated), caller, options));
      response.status(HttpStatus.CREATED);
      response.setHeader('Location', `${fhirBaseOf(request)}/${type}/${recorded.id}`);
      response.setHeader('ETag', etagOf(recorded));
      return mapping.toFhir(recorded);
    }
  }

  Object.defineProperty(FhirClinicalController, 'name', { value: `Fhir${type}Controller` });
  return FhirClinicalController;
}

// Each exported on its own: the access-policy spec finds controllers by their module's exports.
export const FhirAllergyIntoleranceController = fhirClinicalController('AllergyIntolerance');
export const FhirConditionController = fhirClinicalController('Condition');
export const FhirMedicationStatementController = fhirClinicalController('MedicationStatement');
export const FhirObservationController = fhirClinicalController('Observation');
