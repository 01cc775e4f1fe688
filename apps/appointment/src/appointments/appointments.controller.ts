import { Body, Controller, Get, HttpCode, Headers, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ForwardedPrefix } from '@pm/bootstrap';
import { RequestId } from '@pm/logging';
import { ProblemException } from '@pm/problem';
import type { Response } from 'express';
import { AppointmentAction, IllegalTransitionError } from './appointment-status-machine';
import { OverlappingAppointmentError } from './appointments.repository';
import { AppointmentNotFoundError, AppointmentsService, InvalidAppointmentError } from './appointments.service';
import { DoctorDirectoryUnavailableError } from './doctor-directory';
import { AppointmentResponse } from './dto/appointment.response';
import { CreateAppointmentDto } from './dto/create-appointment.dto';
import { ListAppointmentsQuery } from './dto/list-appointments.query';
import { RescheduleAppointmentDto } from './dto/reschedule-appointment.dto';

const appointmentId = new ParseUUIDPipe({
  exceptionFactory: () => ProblemException.badRequest('id must be a UUID', { id: 'id must be a UUID' }),
});

const OVERLAP = 'The doctor or the patient already has an active appointment overlapping this time (errors names which)';
const ILLEGAL_MOVE = 'Not allowed from the current status (currentStatus names it)';

@ApiTags('appointments')
@ApiBearerAuth()
@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post()
  @Access('POST /appointments')
  @ApiOperation({ summary: 'Schedule an appointment' })
  @ApiHeader({ name: 'X-Forwarded-Prefix', required: false, description: 'Set by the gateway; prefixes Location' })
  @ApiCreatedResponse({ type: AppointmentResponse, description: 'Scheduled; Location names the new appointment' })
  @ApiBadRequestResponse({ description: 'Invalid fields, each named in errors: end not after start, start in the past, unknown or deleted patient' })
  @ApiConflictResponse({ description: OVERLAP })
  async create(
    @Body() body: CreateAppointmentDto,
    @ForwardedPrefix() prefix: string,
    @Headers('authorization') authorization: string,
    @RequestId() requestId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AppointmentResponse> {
    const appointment = await this.translateErrors(() =>
      this.appointments.schedule({
        patientId: body.patientId,
        doctorId: body.doctorId,
        startTime: new Date(body.startTime),
        endTime: new Date(body.endTime),
        reason: body.reason,
      }, { authorization, requestId }),
    );
    response.setHeader('Location', `${prefix}/appointments/${appointment.id}`);
    return AppointmentResponse.from(appointment);
  }

  @Get()
  @Access('GET /appointments')
  @ApiOperation({ summary: 'Appointments starting in [from, to), earliest first (an array)' })
  @ApiOkResponse({ type: AppointmentResponse, isArray: true })
  @ApiBadRequestResponse({ description: 'from/to missing or not date-times, to not after from, or a bad filter' })
  async list(@Query() query: ListAppointmentsQuery): Promise<AppointmentResponse[]> {
    const appointments = await this.translateErrors(() =>
      this.appointments.list({
        from: new Date(query.from),
        to: new Date(query.to),
        patientId: query.patientId,
        doctorId: query.doctorId,
        status: query.status,
      }),
    );
    return appointments.map(AppointmentResponse.from);
  }

  @Get(':id')
  @Access('GET /appointments/{id}')
  @ApiOperation({ summary: 'One appointment' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  async byId(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    const appointment = await this.appointments.findById(id);
    if (!appointment) throw ProblemException.notFound(`No appointment ${id}`);
    return AppointmentResponse.from(appointment);
  }

  @Patch(':id')
  @Access('PATCH /appointments/{id}')
  @ApiOperation({ summary: 'Reschedule a SCHEDULED appointment: new times, reason or doctor' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiBadRequestResponse({ description: 'Invalid fields, each named in errors; nothing to change; start in the past' })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: `Not SCHEDULED (currentStatus names the status), or: ${OVERLAP}` })
  reschedule(
    @Param('id', appointmentId) id: string,
    @Body() body: RescheduleAppointmentDto,
    @Headers('authorization') authorization: string,
    @RequestId() requestId: string,
  ): Promise<AppointmentResponse> {
    return this.respond(() =>
      this.appointments.reschedule(
        id,
        {
          startTime: body.startTime === undefined ? undefined : new Date(body.startTime),
          endTime: body.endTime === undefined ? undefined : new Date(body.endTime),
          reason: body.reason,
          doctorId: body.doctorId,
        },
        { authorization, requestId },
      ),
    );
  }

  @Post(':id/check-in')
  @HttpCode(200)
  @Access('POST /appointments/{id}/check-in')
  @ApiOperation({ summary: 'The patient has arrived: SCHEDULED → CHECKED_IN' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: ILLEGAL_MOVE })
  checkIn(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    return this.move(id, 'check-in');
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Access('POST /appointments/{id}/complete')
  @ApiOperation({ summary: 'The visit took place: CHECKED_IN → COMPLETED' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: ILLEGAL_MOVE })
  complete(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    return this.move(id, 'complete');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Access('POST /appointments/{id}/cancel')
  @ApiOperation({ summary: 'Call it off: SCHEDULED or CHECKED_IN → CANCELLED (frees the slot)' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: ILLEGAL_MOVE })
  cancel(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    return this.move(id, 'cancel');
  }

  @Post(':id/no-show')
  @HttpCode(200)
  @Access('POST /appointments/{id}/no-show')
  @ApiOperation({ summary: 'The patient did not come: SCHEDULED → NO_SHOW (frees the slot)' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: ILLEGAL_MOVE })
  noShow(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    return this.move(id, 'no-show');
  }

  private move(id: string, action: AppointmentAction): Promise<AppointmentResponse> {
    return this.respond(() => this.appointments.move(id, action));
  }

  private async respond(call: () => Promise<Parameters<typeof AppointmentResponse.from>[0]>): Promise<AppointmentResponse> {
    return AppointmentResponse.from(await this.translateErrors(call));
  }

  private async translateErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InvalidAppointmentError) {
        throw ProblemException.badRequest(error.message, { [error.field]: error.message });
      }
      if (error instanceof OverlappingAppointmentError) {
        const field = `${error.party}Id`;
        throw ProblemException.conflict(error.message, { [field]: `${field} already has an active appointment overlapping this time` });
      }
      if (error instanceof IllegalTransitionError) {
        throw new ProblemException(409, error.message, { currentStatus: error.currentStatus });
      }
      if (error instanceof AppointmentNotFoundError) throw ProblemException.notFound(error.message);
      if (error instanceof DoctorDirectoryUnavailableError) {
        throw ProblemException.serviceUnavailable('The doctor cannot be checked right now: the auth service is unavailable');
      }
      throw error;
    }
  }
}
