import type { AppointmentEvent } from '@pm/contracts';
import { AuditEntry } from '../audit/audit-entry.entity';
import { AuditEntryResponse } from '../audit/dto/audit-entry.response';
import { appointmentProblem, careTeamAppointment } from './appointment-events.consumer';
import { recordCallerOf } from './record-caller.decorator';

const ID = '123e4567-e89b-12d3-a456-426614174000';
const event = (overrides: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
  event_id: ID,
  event_type: 'APPOINTMENT_SCHEDULED',
  appointment_id: ID.toUpperCase(),
  patient_id: ID,
  doctor_id: ID,
  start_time: 1_900_000_000_000,
  end_time: 1_900_000_900_000,
  status: 'SCHEDULED',
  occurred_at: 1_800_000_000_000,
  booked_by: '',
  ...overrides,
});

describe('appointment events for the care team', () => {
  it.each([
    [{ appointment_id: '' }, 'appointment_id'],
    [{ patient_id: 'p-1' }, 'patient_id'],
    [{ doctor_id: '' }, 'doctor_id'],
    [{ status: 'LOST' }, 'status'],
    [{ booked_by: 'someone' }, 'booked_by'],
    [{ start_time: 0 }, 'start_time'],
    [{ occurred_at: 0 }, 'start_time'],
  ])('refuses %j, naming %s', (overrides, field) => {
    expect(appointmentProblem(event(overrides))?.field).toBe(field);
  });

  it('accepts an event with or without who booked it, and keeps it lower-cased with times as instants', () => {
    expect(appointmentProblem(event())).toBeUndefined();
    expect(appointmentProblem(event({ booked_by: ID }))).toBeUndefined();
    expect(careTeamAppointment(event())).toEqual({
      appointmentId: ID,
      patientId: ID,
      doctorId: ID,
      startTime: new Date(1_900_000_000_000),
      status: 'SCHEDULED',
      bookedBy: null,
      occurredAt: new Date(1_800_000_000_000),
    });
    expect(careTeamAppointment(event({ booked_by: ID.toUpperCase() })).bookedBy).toBe(ID);
  });
});

describe('recordCallerOf', () => {
  const user = { userId: ID, role: 'DOCTOR' as const, email: 'd@example.com', tokenId: 't', issuedAt: 0, expiresAt: 0 };

  it('names the caller, with X-Access-Reason only when it was sent (repeated headers joined)', () => {
    expect(recordCallerOf({ headers: {}, user })).toEqual({ userId: ID, role: 'DOCTOR' });
    expect(recordCallerOf({ headers: { 'x-access-reason': 'Cardiac arrest on ward 4' }, user })).toEqual({ userId: ID, role: 'DOCTOR', accessReason: 'Cardiac arrest on ward 4' });
    expect(recordCallerOf({ headers: { 'x-access-reason': ['one', 'two'] as unknown as string }, user }).accessReason).toBe('one, two');
  });
});

describe('AuditEntryResponse', () => {
  const entry = (outcome: AuditEntry['outcome'], reason: string | null) =>
    Object.assign(new AuditEntry(), { id: '1', at: new Date(0), actorId: ID, actorRole: 'DOCTOR', action: 'READ', patientIds: [ID], requestId: null, sourceIp: null, outcome, entryKind: 'notes', reason });

  it('shows the reason of an EMERGENCY entry only', () => {
    expect(AuditEntryResponse.from(entry('EMERGENCY', 'Cardiac arrest on ward 4')).reason).toBe('Cardiac arrest on ward 4');
    expect(AuditEntryResponse.from(entry('EMERGENCY', null)).reason).toBe('');
    expect(AuditEntryResponse.from(entry('DENIED', null))).not.toHaveProperty('reason');
  });
});
