import { Controller, Get, Header, Param, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { Access } from '@pm/auth-tokens';
import { FHIR_JSON, searchPage } from '@pm/fhir';
import { isUuid } from '@pm/platform';
import type { Request } from 'express';
import { AppointmentNotFoundError } from '../appointments/appointments.errors';
import { AppointmentsService } from '../appointments/appointments.service';
import { toFhirAppointment } from './fhir-appointment.mapper';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, parseAppointmentSearch } from './fhir-appointment-search';

const OUTCOME = { description: 'An OperationOutcome (application/fhir+json); details.text carries the error code' };
const FHIR_OBJECT = { content: { [FHIR_JSON]: { schema: { type: 'object' } } } };

/**
 * FHIR R4 Appointment (read, search) over the same appointments as `/appointments`. Errors are
 * OperationOutcomes: the one exception filter answers them so on every `/fhir` path.
 */
@ApiTags('fhir')
@ApiBearerAuth()
@ApiProduces(FHIR_JSON)
@Controller('fhir/R4/Appointment')
export class FhirAppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get()
  @Header('Content-Type', FHIR_JSON)
  @Access('GET /fhir/R4/Appointment')
  @ApiOperation({ summary: "Search a patient's appointments: a searchset Bundle, earliest start first, with total and a next link" })
  @ApiQuery({ name: 'patient', required: true, description: '`Patient/{id}` or the id' })
  @ApiQuery({ name: 'date', required: false, isArray: true, description: 'The start: a day (YYYY-MM-DD, UTC), or `ge`/`le` a day; repeat for a range' })
  @ApiQuery({ name: '_count', required: false, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` })
  @ApiQuery({ name: '_offset', required: false, description: 'Where the page starts; the next link sets it' })
  @ApiOkResponse({ description: 'A Bundle of type searchset', ...FHIR_OBJECT })
  @ApiBadRequestResponse(OUTCOME)
  async search(@Query() query: Record<string, unknown>, @Req() req: Request): Promise<Bundle<Appointment>> {
    const search = parseAppointmentSearch(query);
    const page = await this.appointments.pageOfPatient({ patientId: search.patientId, from: search.from, to: search.to, offset: search.offset, limit: search.count });
    const entries = page.views.map((view) => ({ resource: toFhirAppointment(view) }));
    return searchPage(req, entries, { offset: search.offset, size: search.count }, page.total) as Bundle<Appointment>;
  }

  @Get(':id')
  @Header('Content-Type', FHIR_JSON)
  @Access('GET /fhir/R4/Appointment/{id}')
  @ApiOperation({ summary: 'One appointment as a FHIR Appointment (status booked, arrived, fulfilled, cancelled or noshow)' })
  @ApiParam({ name: 'id', description: 'The appointment id' })
  @ApiOkResponse({ description: 'An Appointment', ...FHIR_OBJECT })
  @ApiNotFoundResponse(OUTCOME)
  async read(@Param('id') id: string): Promise<Appointment> {
    // An id that is not a UUID names no appointment (FHIR answers a read of it 404, not 400).
    const appointment = isUuid(id) ? await this.appointments.findById(id) : null;
    if (!appointment) throw new AppointmentNotFoundError(id);
    return toFhirAppointment(appointment);
  }
}
