import type { AppointmentEventType } from '@pm/contracts';
import type { AppointmentStatus } from './appointment.entity';
import { IllegalTransitionError } from './appointments.errors';

export const AppointmentActions = ['check-in', 'complete', 'cancel', 'no-show'] as const;
export type AppointmentAction = (typeof AppointmentActions)[number];

interface Transition {
  from: readonly AppointmentStatus[];
  to: AppointmentStatus;
  event: AppointmentEventType;
}

/** The one table of legal moves: SCHEDULED → CHECKED_IN → COMPLETED, or CANCELLED / NO_SHOW. */
export const TRANSITIONS: Readonly<Record<AppointmentAction, Transition>> = {
  'check-in': { from: ['SCHEDULED'], to: 'CHECKED_IN', event: 'APPOINTMENT_CHECKED_IN' },
  complete: { from: ['CHECKED_IN'], to: 'COMPLETED', event: 'APPOINTMENT_COMPLETED' },
  cancel: { from: ['SCHEDULED', 'CHECKED_IN'], to: 'CANCELLED', event: 'APPOINTMENT_CANCELLED' },
  'no-show': { from: ['SCHEDULED'], to: 'NO_SHOW', event: 'APPOINTMENT_NO_SHOW' },
};

/** The status after `action`, or IllegalTransitionError. */
export function nextStatus(current: AppointmentStatus, action: AppointmentAction): Transition {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(current)) throw new IllegalTransitionError(action, current);
  return transition;
}
