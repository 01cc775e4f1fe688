import { Injectable } from '@nestjs/common';
import { AppointmentFilter, AppointmentView, AppointmentsRepository } from './appointments.repository';

/** A scheduling rule the request broke; `field` names the input at fault. */
export class InvalidAppointmentError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ScheduleAppointmentCommand {
  patientId: string;
  doctorId?: string | null;
  startTime: Date;
  endTime: Date;
  reason: string;
}

@Injectable()
export class AppointmentsService {
  constructor(private readonly appointments: AppointmentsRepository) {}

  async schedule(command: ScheduleAppointmentCommand): Promise<AppointmentView> {
    if (!(command.endTime.getTime() > command.startTime.getTime())) {
      throw new InvalidAppointmentError('endTime', 'endTime must be after startTime');
    }
    const id = await this.appointments.insert({
      patientId: command.patientId.toLowerCase(),
      doctorId: command.doctorId?.toLowerCase() ?? null,
      startTime: command.startTime,
      endTime: command.endTime,
      reason: command.reason,
    });
    return (await this.appointments.findView(id))!;
  }

  /** Appointments starting in [from, to), earliest first. */
  async list(filter: AppointmentFilter): Promise<AppointmentView[]> {
    if (!(filter.to.getTime() > filter.from.getTime())) throw new InvalidAppointmentError('to', 'to must be after from');
    return this.appointments.listViews({
      ...filter,
      patientId: filter.patientId?.toLowerCase(),
      doctorId: filter.doctorId?.toLowerCase(),
    });
  }

  findById(id: string): Promise<AppointmentView | null> {
    return this.appointments.findView(id.toLowerCase());
  }
}
