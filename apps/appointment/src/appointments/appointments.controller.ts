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
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Access, AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { ForwardedPrefix, RequestId, ApiErrors, ProblemException } from '@pm/platform';
import type { Response } from 'express';
import { AppointmentAction } from './appointment-status-machine';
import { AppointmentErrors, AppointmentNotFoundError } from './appointments.errors';
import { AppointmentsService } from './appointments.service';
import { AppointmentResponse } from './dto/appointment.response';
import { CreateAppointmentDto } from './dto/create-appointment.dto';
import { ListAppointmentsQuery } from './dto/list-appointments.query';
import { RescheduleAppointmentDto } from './dto/reschedule-appointment.dto';

const appointmentId = new ParseUUIDPipe({
  exceptionFactory: () => ProblemException.badRequest('id must be a UUID', { id: 'id must be a UUID' }),
});

const OVERLAP = 'The doctor or the patient already has an active appointment overlapping this time (errors names which)';
const DOCTOR_UNVERIFIABLE = 'The doctor cannot be checked right now: the auth service is unavailable';
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
  @ApiServiceUnavailableResponse({ description: DOCTOR_UNVERIFIABLE })
  @ApiErrors(AppointmentErrors.Invalid, AppointmentErrors.SlotTaken, AppointmentErrors.DoctorUnverifiable)
  async create(
    @Body() body: CreateAppointmentDto,
    @ForwardedPrefix() prefix: string,
    @Headers('authorization') authorization: string,
    @RequestId() requestId: string,
    @CurrentUser() caller: AccessTokenClaims,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AppointmentResponse> {
    const appointment = await this.appointments.schedule(
      {
        patientId: body.patientId,
        doctorId: body.doctorId,
        startTime: new Date(body.startTime),
        endTime: new Date(body.endTime),
        reason: body.reason,
      },
      { authorization, requestId, userId: caller.userId },
    );
    response.setHeader('Location', `${prefix}/appointments/${appointment.id}`);
    return AppointmentResponse.from(appointment);
  }

  @Get()
  @Access('GET /appointments')
  @ApiOperation({ summary: 'Appointments starting in [from, to), earliest first (an array)' })
  @ApiOkResponse({ type: AppointmentResponse, isArray: true })
  @ApiBadRequestResponse({ description: 'from/to missing or not date-times, to not after from, or a bad filter' })
  @ApiErrors(AppointmentErrors.Invalid)
  async list(@Query() query: ListAppointmentsQuery): Promise<AppointmentResponse[]> {
    const appointments = await this.appointments.list({
      from: new Date(query.from),
      to: new Date(query.to),
      patientId: query.patientId,
      doctorId: query.doctorId,
      status: query.status,
    });
    return appointments.map(AppointmentResponse.from);
  }

  @Get(':id')
  @Access('GET /appointments/{id}')
  @ApiOperation({ summary: 'One appointment' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiErrors(AppointmentErrors.NotFound)
  async byId(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    const appointment = await this.appointments.findById(id);
    if (!appointment) throw new AppointmentNotFoundError(id);
    return AppointmentResponse.from(appointment);
  }

  @Patch(':id')
  @Access('PATCH /appointments/{id}')
  @ApiOperation({ summary: 'Reschedule a SCHEDULED appointment: new times, reason or doctor' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiBadRequestResponse({ description: 'Invalid fields, each named in errors; nothing to change; start in the past' })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: `Not SCHEDULED (currentStatus names the status), or: ${OVERLAP}` })
  @ApiServiceUnavailableResponse({ description: DOCTOR_UNVERIFIABLE })
  @ApiErrors(
    AppointmentErrors.Invalid,
    AppointmentErrors.NotFound,
    AppointmentErrors.IllegalTransition,
    AppointmentErrors.SlotTaken,
    AppointmentErrors.DoctorUnverifiable,
  )
  async reschedule(
    @Param('id', appointmentId) id: string,
    @Body() body: RescheduleAppointmentDto,
    @Headers('authorization') authorization: string,
    @RequestId() requestId: string,
  ): Promise<AppointmentResponse> {
    const appointment = await this.appointments.reschedule(
      id,
      {
        startTime: body.startTime === undefined ? undefined : new Date(body.startTime),
        endTime: body.endTime === undefined ? undefined : new Date(body.endTime),
        reason: body.reason,
        doctorId: body.doctorId,
      },
      { authorization, requestId },
    );
    return AppointmentResponse.from(appointment);
  }

  @Post(':id/check-in')
  @HttpCode(200)
  @Access('POST /appointments/{id}/check-in')
  @ApiOperation({ summary: 'The patient has arrived: SCHEDULED → CHECKED_IN' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  @ApiConflictResponse({ description: ILLEGAL_MOVE })
  @ApiErrors(AppointmentErrors.NotFound, AppointmentErrors.IllegalTransition)
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
  @ApiErrors(AppointmentErrors.NotFound, AppointmentErrors.IllegalTransition)
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
  @ApiErrors(AppointmentErrors.NotFound, AppointmentErrors.IllegalTransition)
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
  @ApiErrors(AppointmentErrors.NotFound, AppointmentErrors.IllegalTransition)
  noShow(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    return this.move(id, 'no-show');
  }

  private async move(id: string, action: AppointmentAction): Promise<AppointmentResponse> {
    return AppointmentResponse.from(await this.appointments.move(id, action));
  }
}
