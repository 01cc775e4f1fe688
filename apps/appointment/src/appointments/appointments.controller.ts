import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '@pm/auth-tokens';
import { ProblemException } from '@pm/problem';
import type { Response } from 'express';
import { AppointmentsService, InvalidAppointmentError } from './appointments.service';
import { AppointmentResponse } from './dto/appointment.response';
import { CreateAppointmentDto } from './dto/create-appointment.dto';
import { ListAppointmentsQuery } from './dto/list-appointments.query';

// Only a plain path prefix is echoed into Location; anything else is ignored.
const PATH_PREFIX = /^(\/[A-Za-z0-9._~-]+)+$/;

const appointmentId = new ParseUUIDPipe({
  exceptionFactory: () => ProblemException.badRequest('id must be a UUID', { id: 'id must be a UUID' }),
});

// Who may do what (contract): ADMIN and DOCTOR everything; NURSE read, create and update (a
// cancel or delete route would be ADMIN and DOCTOR only); BILLING and ANALYST nothing.
const READ_CREATE_UPDATE = ['ADMIN', 'DOCTOR', 'NURSE'] as const;

@ApiTags('appointments')
@ApiBearerAuth()
@Controller('appointments')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post()
  @Roles(...READ_CREATE_UPDATE)
  @ApiOperation({ summary: 'Schedule an appointment' })
  @ApiHeader({ name: 'X-Forwarded-Prefix', required: false, description: 'Set by the gateway; prefixes Location' })
  @ApiCreatedResponse({ type: AppointmentResponse, description: 'Scheduled; Location names the new appointment' })
  @ApiBadRequestResponse({ description: 'Invalid fields, each named in errors' })
  async create(
    @Body() body: CreateAppointmentDto,
    @Headers('x-forwarded-prefix') forwardedPrefix: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AppointmentResponse> {
    const appointment = await this.translateErrors(() =>
      this.appointments.schedule({
        patientId: body.patientId,
        doctorId: body.doctorId,
        startTime: new Date(body.startTime),
        endTime: new Date(body.endTime),
        reason: body.reason,
      }),
    );
    const prefix = forwardedPrefix && PATH_PREFIX.test(forwardedPrefix) ? forwardedPrefix : '';
    response.setHeader('Location', `${prefix}/appointments/${appointment.id}`);
    return AppointmentResponse.from(appointment);
  }

  @Get()
  @Roles(...READ_CREATE_UPDATE)
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
  @Roles(...READ_CREATE_UPDATE)
  @ApiOperation({ summary: 'One appointment' })
  @ApiOkResponse({ type: AppointmentResponse })
  @ApiNotFoundResponse({ description: 'No such appointment' })
  async byId(@Param('id', appointmentId) id: string): Promise<AppointmentResponse> {
    const appointment = await this.appointments.findById(id);
    if (!appointment) throw ProblemException.notFound(`No appointment ${id}`);
    return AppointmentResponse.from(appointment);
  }

  private async translateErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof InvalidAppointmentError) {
        throw ProblemException.badRequest(error.message, { [error.field]: error.message });
      }
      throw error;
    }
  }
}
