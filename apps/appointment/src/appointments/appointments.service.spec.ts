import { DoctorDirectory } from './doctor-directory';
import type { AppointmentEvent } from '@pm/contracts';
import type { Transaction, Transactions } from '@pm/platform';
import { FakeClock, typedFake } from '@pm/testing';
import { AppointmentNotFoundError, IllegalTransitionError, InvalidAppointmentError } from './appointments.errors';
import {
  AppointmentChanges,
  AppointmentFilter,
  AppointmentRecord,
  AppointmentView,
  AppointmentsRepository,
  BookablePatient,
  NewAppointment,
} from './appointments.repository';
import { AppointmentsService, START_CLOCK_SKEW_MS } from './appointments.service';

type RepositoryPart = Pick<
  AppointmentsRepository,
  'findPatientForBooking' | 'insert' | 'lock' | 'update' | 'cancelActiveStartingAfter' | 'recordEvents' | 'findView' | 'listViews'
>;

/** In memory; a transaction's writes and events are kept only if its work resolves. */
class FakeAppointmentsRepository implements RepositoryPart {
  readonly patients = new Map<string, BookablePatient>();
  stored = new Map<string, AppointmentRecord>();
  events: AppointmentEvent[] = [];
  readonly filters: AppointmentFilter[] = [];
  readonly locked: string[] = [];

  async findPatientForBooking(patientId: string, _tx: Transaction): Promise<BookablePatient | null> {
    return this.patients.get(patientId) ?? null;
  }
  async insert(appointment: NewAppointment, _tx: Transaction): Promise<AppointmentRecord> {
    const id = `appointment-${this.stored.size + 1}`;
    const now = new Date();
    const record: AppointmentRecord = { id, ...appointment, status: 'SCHEDULED', createdAt: now, updatedAt: now };
    this.stored.set(id, record);
    return { ...record };
  }
  async lock(id: string, _tx: Transaction): Promise<AppointmentRecord | null> {
    this.locked.push(id);
    const record = this.stored.get(id);
    return record ? { ...record } : null;
  }
  async update(id: string, changes: AppointmentChanges, _tx: Transaction): Promise<AppointmentRecord> {
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    const record = { ...this.stored.get(id)!, ...defined, updatedAt: new Date() };
    this.stored.set(id, record);
    return { ...record };
  }
  async cancelActiveStartingAfter(patientId: string, after: Date, tx: Transaction): Promise<AppointmentRecord[]> {
    const due = [...this.stored.values()].filter(
      (a) => a.patientId === patientId && ['SCHEDULED', 'CHECKED_IN'].includes(a.status) && a.startTime > after,
    );
    return Promise.all(due.map((a) => this.update(a.id, { status: 'CANCELLED' }, tx)));
  }
  async recordEvents(events: AppointmentEvent[], _tx: Transaction): Promise<void> {
    this.events.push(...events);
  }
  async findView(id: string): Promise<AppointmentView | null> {
    const record = this.stored.get(id);
    return record ? { ...record, patientName: null, documentedAt: null } : null;
  }
  async listViews(filter: AppointmentFilter): Promise<AppointmentView[]> {
    this.filters.push(filter);
    return [];
  }
}

class FakeTransactions implements Pick<Transactions, 'run'> {
  constructor(private readonly repository: FakeAppointmentsRepository) {}
  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const stored = new Map(this.repository.stored);
    const events = [...this.repository.events];
    try {
      return await work({} as Transaction);
    } catch (error) {
      this.repository.stored = stored;
      this.repository.events = events;
      throw error;
    }
  }
}

/** auth's doctors directory: every id is an active doctor unless listed. */
class FakeDoctorDirectory implements Pick<DoctorDirectory, 'isActiveDoctor'> {
  readonly notDoctors = new Set<string>();
  readonly asked: { doctorId: string; authorization: string }[] = [];
  async isActiveDoctor(doctorId: string, authorization: string): Promise<boolean> {
    this.asked.push({ doctorId, authorization });
    return !this.notDoctors.has(doctorId);
  }
}

describe('AppointmentsService', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  const doctorId = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
  const now = new Date('2030-06-01T12:00:00Z');
  const startTime = new Date('2030-06-03T09:00:00Z');
  const endTime = new Date('2030-06-03T09:30:00Z');
  const booking = { patientId, doctorId, startTime, endTime, reason: 'Check-up' };
  let repository: FakeAppointmentsRepository;
  let service: AppointmentsService;
  let doctors: FakeDoctorDirectory;
  const bookerId = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
  const caller = { authorization: 'Bearer caller-token', requestId: 'req-1', userId: bookerId };

  beforeEach(() => {
    repository = new FakeAppointmentsRepository();
    doctors = new FakeDoctorDirectory();
    repository.patients.set(patientId, { deleted: false });
    service = new AppointmentsService(
      typedFake<AppointmentsRepository>(repository),
      typedFake<Transactions>(new FakeTransactions(repository)),
      new FakeClock(now),
      typedFake<DoctorDirectory>(doctors),
    );
  });

  const eventTypes = () => repository.events.map((event) => event.event_type);

  describe('schedule', () => {
    it("refuses a doctorId that auth's directory does not know as an active DOCTOR, asking with the caller's token", async () => {
      doctors.notDoctors.add(doctorId);
      await expect(service.schedule(booking, caller)).rejects.toEqual(new InvalidAppointmentError('doctorId', 'doctorId is not an active DOCTOR'));
      expect(doctors.asked).toEqual([{ doctorId, authorization: 'Bearer caller-token' }]);
      expect(repository.events).toHaveLength(0);
    });

    it('schedules a SCHEDULED appointment under lower-case ids, booked by the caller, and records APPOINTMENT_SCHEDULED', async () => {
      const appointment = await service.schedule({ ...booking, patientId: patientId.toUpperCase(), doctorId: doctorId.toUpperCase() }, caller);
      expect(appointment).toMatchObject({ patientId, doctorId, startTime, endTime, reason: 'Check-up', status: 'SCHEDULED', bookedBy: bookerId });
      expect(repository.events).toEqual([
        {
          event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          event_type: 'APPOINTMENT_SCHEDULED',
          appointment_id: appointment.id,
          patient_id: patientId,
          doctor_id: doctorId,
          start_time: startTime.getTime(),
          end_time: endTime.getTime(),
          status: 'SCHEDULED',
          occurred_at: appointment.updatedAt.getTime(),
          booked_by: bookerId,
        },
      ]);
    });

    it.each([
      ['ends before it starts', new Date('2030-06-03T08:00:00Z')],
      ['has no length', startTime],
    ])('refuses an appointment that %s, naming endTime', async (_, badEnd) => {
      await expect(service.schedule({ ...booking, endTime: badEnd }, caller)).rejects.toEqual(
        new InvalidAppointmentError('endTime', 'endTime must be after startTime'),
      );
      expect(repository.stored.size).toBe(0);
    });

    it('refuses a start in the past beyond the clock skew, and accepts one within it', async () => {
      const past = new Date(now.getTime() - START_CLOCK_SKEW_MS - 1);
      await expect(service.schedule({ ...booking, startTime: past, endTime }, caller)).rejects.toEqual(
        new InvalidAppointmentError('startTime', 'startTime must not be in the past'),
      );
      const justNow = new Date(now.getTime() - START_CLOCK_SKEW_MS);
      await expect(service.schedule({ ...booking, startTime: justNow, endTime }, caller)).resolves.toMatchObject({ startTime: justNow });
    });

    it('refuses an unknown or a deleted patient, naming patientId, and records nothing', async () => {
      await expect(service.schedule({ ...booking, patientId: 'aaaaaaaa-e89b-12d3-a456-426614174000' }, caller)).rejects.toEqual(
        new InvalidAppointmentError('patientId', 'patientId is not a known patient'),
      );
      repository.patients.set(patientId, { deleted: true });
      await expect(service.schedule(booking, caller)).rejects.toEqual(new InvalidAppointmentError('patientId', 'patientId is a deleted patient'));
      expect(repository.stored.size).toBe(0);
      expect(repository.events).toEqual([]);
    });
  });

  describe('moves through the status machine', () => {
    it('checks in and completes, recording one event per change with the new status', async () => {
      const { id } = await service.schedule(booking, caller);
      expect((await service.move(id, 'check-in')).status).toBe('CHECKED_IN');
      expect((await service.move(id, 'complete')).status).toBe('COMPLETED');
      expect(eventTypes()).toEqual(['APPOINTMENT_SCHEDULED', 'APPOINTMENT_CHECKED_IN', 'APPOINTMENT_COMPLETED']);
      expect(repository.events.map((event) => event.status)).toEqual(['SCHEDULED', 'CHECKED_IN', 'COMPLETED']);
      expect(repository.locked).toEqual([id, id]);
    });

    it('refuses an illegal move with the current status, changing and recording nothing', async () => {
      const { id } = await service.schedule(booking, caller);
      await service.move(id, 'cancel');
      await expect(service.move(id, 'check-in')).rejects.toEqual(new IllegalTransitionError('check-in', 'CANCELLED'));
      expect(repository.stored.get(id)?.status).toBe('CANCELLED');
      expect(eventTypes()).toEqual(['APPOINTMENT_SCHEDULED', 'APPOINTMENT_CANCELLED']);
    });

    it('answers AppointmentNotFoundError for an unknown id', async () => {
      await expect(service.move('nope', 'cancel')).rejects.toBeInstanceOf(AppointmentNotFoundError);
    });
  });

  describe('reschedule', () => {
    it('moves a SCHEDULED appointment, keeping what is not given, and records APPOINTMENT_RESCHEDULED', async () => {
      const { id } = await service.schedule(booking, caller);
      const later = new Date('2030-06-03T10:00:00Z');
      const otherDoctor = 'AAAAAAAA-58CC-4372-A567-0E02B2C3D479';
      const moved = await service.reschedule(id, { startTime: later, endTime: new Date('2030-06-03T10:45:00Z'), doctorId: otherDoctor }, caller);
      expect(moved).toMatchObject({ startTime: later, reason: 'Check-up', doctorId: otherDoctor.toLowerCase(), status: 'SCHEDULED' });
      expect(eventTypes()).toEqual(['APPOINTMENT_SCHEDULED', 'APPOINTMENT_RESCHEDULED']);
      expect(repository.events[1]).toMatchObject({ start_time: later.getTime(), doctor_id: otherDoctor.toLowerCase() });
    });

    it('checks the new times against the current ones', async () => {
      const { id } = await service.schedule(booking, caller);
      await expect(service.reschedule(id, { startTime: endTime }, caller)).rejects.toMatchObject({ field: 'endTime' });
      await expect(service.reschedule(id, { endTime: new Date('2030-06-03T08:00:00Z') }, caller)).rejects.toMatchObject({ field: 'endTime' });
      await expect(service.reschedule(id, { startTime: new Date('2030-05-01T09:00:00Z') }, caller)).rejects.toMatchObject({ field: 'startTime' });
      expect(repository.stored.get(id)).toMatchObject({ startTime, endTime });
    });

    it('changes only the reason without looking at the times', async () => {
      const { id } = await service.schedule(booking, caller);
      expect((await service.reschedule(id, { reason: 'Follow-up' }, caller)).reason).toBe('Follow-up');
    });

    it('refuses an empty change, and any appointment that is no longer SCHEDULED', async () => {
      const { id } = await service.schedule(booking, caller);
      await expect(service.reschedule(id, {}, caller)).rejects.toBeInstanceOf(InvalidAppointmentError);
      await service.move(id, 'check-in');
      await expect(service.reschedule(id, { reason: 'Late' }, caller)).rejects.toEqual(new IllegalTransitionError('reschedule', 'CHECKED_IN'));
      expect(eventTypes()).toEqual(['APPOINTMENT_SCHEDULED', 'APPOINTMENT_CHECKED_IN']);
    });
  });

  it("cancels a deleted patient's active appointments that start after now, each with an event", async () => {
    const future = await service.schedule(booking, caller);
    const checkedIn = await service.schedule({ ...booking, startTime: new Date('2030-06-04T09:00:00Z'), endTime: new Date('2030-06-04T09:30:00Z') }, caller);
    await service.move(checkedIn.id, 'check-in');
    const done = await service.schedule({ ...booking, startTime: new Date('2030-06-05T09:00:00Z'), endTime: new Date('2030-06-05T09:30:00Z') }, caller);
    await service.move(done.id, 'check-in');
    await service.move(done.id, 'complete');
    repository.events = [];

    expect(await service.cancelFutureOfDeletedPatient(patientId.toUpperCase(), {} as Transaction)).toBe(2);
    expect(repository.stored.get(future.id)?.status).toBe('CANCELLED');
    expect(repository.stored.get(checkedIn.id)?.status).toBe('CANCELLED');
    expect(repository.stored.get(done.id)?.status).toBe('COMPLETED');
    expect(repository.events.map((e) => [e.appointment_id, e.event_type, e.status])).toEqual([
      [future.id, 'APPOINTMENT_CANCELLED', 'CANCELLED'],
      [checkedIn.id, 'APPOINTMENT_CANCELLED', 'CANCELLED'],
    ]);
  });

  it('lists with lower-cased filters and refuses an empty range, naming to', async () => {
    await service.list({ from: startTime, to: endTime, patientId: 'ABC', doctorId: 'DEF', status: 'SCHEDULED' });
    expect(repository.filters).toEqual([{ from: startTime, to: endTime, patientId: 'abc', doctorId: 'def', status: 'SCHEDULED' }]);
    const refused = service.list({ from: endTime, to: endTime });
    await expect(refused).rejects.toBeInstanceOf(InvalidAppointmentError);
    await expect(refused).rejects.toMatchObject({ field: 'to' });
  });
});
