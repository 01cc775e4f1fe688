import { DomainError, FieldError } from '@pm/platform';
import type { AppointmentStatus } from './appointment.entity';

/** A scheduling rule the request broke; `field` names the input at fault. */
export class InvalidAppointmentError extends FieldError {
  static readonly spec = { code: 'APPOINTMENT_INVALID', status: 400, description: 'A scheduling rule was broken; errors names the field' };
}

export class AppointmentNotFoundError extends DomainError {
  static readonly spec = { code: 'APPOINTMENT_NOT_FOUND', status: 404, description: 'No appointment has this id' };

  constructor(readonly id: string) {
    super(`No appointment ${id}`);
  }
}

/** The doctor or the patient already has an active appointment overlapping the requested time. */
export class OverlappingAppointmentError extends DomainError {
  static readonly spec = {
    code: 'APPOINTMENT_SLOT_TAKEN',
    status: 409,
    description: 'The doctor or the patient already has an active appointment overlapping this time (errors names which)',
  };

  constructor(readonly party: 'doctor' | 'patient') {
    const field = `${party}Id`;
    super(`The ${party} already has an active appointment overlapping this time`, {
      fields: { errors: { [field]: `${field} already has an active appointment overlapping this time` } },
    });
  }
}

/** A move the status machine does not allow from the appointment's current status. */
export class IllegalTransitionError extends DomainError {
  static readonly spec = {
    code: 'APPOINTMENT_ILLEGAL_TRANSITION',
    status: 409,
    description: 'Not allowed from the current status (currentStatus names it)',
  };

  constructor(
    readonly action: string,
    readonly currentStatus: AppointmentStatus,
  ) {
    super(`Cannot ${action} an appointment that is ${currentStatus}`, { fields: { currentStatus } });
  }
}

/** auth could not say whether the doctor exists: the booking cannot be checked, so it waits. */
export class DoctorDirectoryUnavailableError extends DomainError {
  static readonly spec = {
    code: 'APPOINTMENT_DOCTOR_UNVERIFIABLE',
    status: 503,
    description: 'The doctor cannot be checked right now: the auth service is unavailable',
  };

  /** `reason` is for the logs only (what auth answered, or why it did not). */
  constructor(reason: string) {
    super('The doctor cannot be checked right now: the auth service is unavailable', { message: reason });
  }
}

export const AppointmentErrors = {
  Invalid: InvalidAppointmentError,
  NotFound: AppointmentNotFoundError,
  SlotTaken: OverlappingAppointmentError,
  IllegalTransition: IllegalTransitionError,
  DoctorUnverifiable: DoctorDirectoryUnavailableError,
} as const;
