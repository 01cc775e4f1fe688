import { Injectable } from '@nestjs/common';
import type { AppointmentEvent, AppointmentEventType } from '@pm/contracts';
import { randomUUID } from 'node:crypto';
import { Clock, Transaction, Transactions } from '@pm/platform';
import { AppointmentAction, nextStatus } from './appointment-status-machine';
import { AppointmentNotFoundError, IllegalTransitionError, InvalidAppointmentError } from './appointments.errors';
import { DoctorDirectory } from './doctor-directory';
import {
  AppointmentChanges,
  AppointmentFilter,
  AppointmentPage,
  AppointmentRecord,
  AppointmentView,
  AppointmentsRepository,
  PatientAppointmentsQuery,
} from './appointments.repository';

/** How far in the past a start may be, for clocks a little apart and requests in flight. */
export const START_CLOCK_SKEW_MS = 60_000;

export interface ScheduleAppointmentCommand {
  patientId: string;
  doctorId: string;
  startTime: Date;
  endTime: Date;
  reason: string;
}

/** Who asks: their token is shown to auth's doctors directory. */
export interface Caller {
  authorization: string;
  requestId?: string;
}

/** Who books: a booking records their user id. */
export interface BookingCaller extends Caller {
  userId: string;
}

export type RescheduleAppointmentCommand = Partial<Pick<ScheduleAppointmentCommand, 'doctorId' | 'startTime' | 'endTime' | 'reason'>>;

@Injectable()
export class AppointmentsService {
  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly doctors: DoctorDirectory,
  ) {}

  /** Books the slot; overlaps are refused by the database (OverlappingAppointmentError). */
  async schedule(command: ScheduleAppointmentCommand, caller: BookingCaller): Promise<AppointmentView> {
    this.checkTimes(command.startTime, command.endTime);
    await this.checkDoctor(command.doctorId, caller);
    const patientId = command.patientId.toLowerCase();
    const created = await this.transactions.run(async (tx) => {
      const patient = await this.appointments.findPatientForBooking(patientId, tx);
      if (!patient) throw new InvalidAppointmentError('patientId', 'patientId is not a known patient');
      if (patient.deleted) throw new InvalidAppointmentError('patientId', 'patientId is a deleted patient');
      const record = await this.appointments.insert(
        {
          patientId,
          doctorId: command.doctorId.toLowerCase(),
          startTime: command.startTime,
          endTime: command.endTime,
          reason: command.reason,
          bookedBy: caller.userId,
        },
        tx,
      );
      await this.appointments.recordEvents([eventOf(record, 'APPOINTMENT_SCHEDULED')], tx);
      return record;
    });
    return this.view(created.id);
  }

  /** Moves and/or edits a SCHEDULED appointment; any other status is an IllegalTransitionError. */
  async reschedule(id: string, command: RescheduleAppointmentCommand, caller: Caller): Promise<AppointmentView> {
    const changes: AppointmentChanges = {
      doctorId: command.doctorId?.toLowerCase(),
      startTime: command.startTime,
      endTime: command.endTime,
      reason: command.reason,
    };
    if (Object.values(changes).every((value) => value === undefined)) {
      throw new InvalidAppointmentError('body', 'Give at least one of startTime, endTime, reason, doctorId');
    }
    if (changes.doctorId) await this.checkDoctor(changes.doctorId, caller);
    const changed = await this.transactions.run(async (tx) => {
      const current = await this.lockExisting(id, tx);
      if (current.status !== 'SCHEDULED') throw new IllegalTransitionError('reschedule', current.status);
      if (changes.startTime || changes.endTime) {
        this.checkTimes(changes.startTime ?? current.startTime, changes.endTime ?? current.endTime);
      }
      const record = await this.appointments.update(current.id, changes, tx);
      await this.appointments.recordEvents([eventOf(record, 'APPOINTMENT_RESCHEDULED')], tx);
      return record;
    });
    return this.view(changed.id);
  }

  /** check-in, complete, cancel or no-show, as the status machine allows. */
  async move(id: string, action: AppointmentAction): Promise<AppointmentView> {
    const changed = await this.transactions.run(async (tx) => {
      const current = await this.lockExisting(id, tx);
      const transition = nextStatus(current.status, action);
      const record = await this.appointments.update(current.id, { status: transition.to }, tx);
      await this.appointments.recordEvents([eventOf(record, transition.event)], tx);
      return record;
    });
    return this.view(changed.id);
  }

  /**
   * Cancels a deleted patient's appointments that have not started yet, inside the caller's
   * transaction (the one that records the delete). Returns how many were cancelled.
   */
  async cancelFutureOfDeletedPatient(patientId: string, tx: Transaction): Promise<number> {
    const cancelled = await this.appointments.cancelActiveStartingAfter(patientId.toLowerCase(), this.clock.now(), tx);
    await this.appointments.recordEvents(cancelled.map((record) => eventOf(record, 'APPOINTMENT_CANCELLED')), tx);
    return cancelled.length;
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

  /** A page of one patient's appointments, earliest first, with the number of matches (FHIR search). */
  pageOfPatient(query: PatientAppointmentsQuery): Promise<AppointmentPage> {
    return this.appointments.pageOfPatient({ ...query, patientId: query.patientId.toLowerCase() });
  }

  findById(id: string): Promise<AppointmentView | null> {
    return this.appointments.findView(id.toLowerCase());
  }

  private checkTimes(startTime: Date, endTime: Date): void {
    if (!(endTime.getTime() > startTime.getTime())) {
      throw new InvalidAppointmentError('endTime', 'endTime must be after startTime');
    }
    if (startTime.getTime() < this.clock.now().getTime() - START_CLOCK_SKEW_MS) {
      throw new InvalidAppointmentError('startTime', 'startTime must not be in the past');
    }
  }

  private async checkDoctor(doctorId: string, caller: Caller): Promise<void> {
    if (!(await this.doctors.isActiveDoctor(doctorId.toLowerCase(), caller.authorization, caller.requestId))) {
      throw new InvalidAppointmentError('doctorId', 'doctorId is not an active DOCTOR');
    }
  }

  private async lockExisting(id: string, tx: Transaction): Promise<AppointmentRecord> {
    const current = await this.appointments.lock(id.toLowerCase(), tx);
    if (!current) throw new AppointmentNotFoundError(id);
    return current;
  }

  private async view(id: string): Promise<AppointmentView> {
    return (await this.appointments.findView(id))!;
  }
}

/** The event announcing `record` as it is after the change. */
function eventOf(record: AppointmentRecord, type: AppointmentEventType): AppointmentEvent {
  return {
    event_id: randomUUID(),
    event_type: type,
    appointment_id: record.id,
    patient_id: record.patientId,
    doctor_id: record.doctorId,
    start_time: record.startTime.getTime(),
    end_time: record.endTime.getTime(),
    status: record.status,
    occurred_at: record.updatedAt.getTime(),
    booked_by: record.bookedBy ?? '',
  };
}
