import { AppointmentStatuses, type AppointmentStatus } from './appointment.entity';
import { AppointmentActions, nextStatus, type AppointmentAction } from './appointment-status-machine';
import { IllegalTransitionError } from './appointments.errors';

// Every (status, action) pair: the legal ones and where they lead; everything else is refused.
const LEGAL: Record<string, AppointmentStatus> = {
  'SCHEDULED check-in': 'CHECKED_IN',
  'SCHEDULED cancel': 'CANCELLED',
  'SCHEDULED no-show': 'NO_SHOW',
  'CHECKED_IN complete': 'COMPLETED',
  'CHECKED_IN cancel': 'CANCELLED',
};

const pairs = AppointmentStatuses.flatMap((status) => AppointmentActions.map((action) => [status, action] as [AppointmentStatus, AppointmentAction]));

describe('appointment status machine', () => {
  it.each(pairs.filter(([status, action]) => LEGAL[`${status} ${action}`]))('%s + %s is allowed', (status, action) => {
    expect(nextStatus(status, action).to).toBe(LEGAL[`${status} ${action}`]);
  });

  it.each(pairs.filter(([status, action]) => !LEGAL[`${status} ${action}`]))('%s + %s is refused, naming the current status', (status, action) => {
    expect(() => nextStatus(status, action)).toThrow(new IllegalTransitionError(action, status));
    try {
      nextStatus(status, action);
    } catch (error) {
      expect((error as IllegalTransitionError).currentStatus).toBe(status);
    }
  });

  it('names the event of each move', () => {
    expect(AppointmentActions.map((action) => nextStatus(action === 'complete' ? 'CHECKED_IN' : 'SCHEDULED', action).event)).toEqual([
      'APPOINTMENT_CHECKED_IN',
      'APPOINTMENT_COMPLETED',
      'APPOINTMENT_CANCELLED',
      'APPOINTMENT_NO_SHOW',
    ]);
  });
});
