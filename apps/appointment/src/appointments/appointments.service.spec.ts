import { AppointmentFilter, AppointmentView, AppointmentsRepository, NewAppointment } from './appointments.repository';
import { AppointmentsService, InvalidAppointmentError } from './appointments.service';

class FakeAppointmentsRepository implements Pick<AppointmentsRepository, 'insert' | 'findView' | 'listViews'> {
  readonly stored = new Map<string, AppointmentView>();
  readonly filters: AppointmentFilter[] = [];

  async insert(appointment: NewAppointment): Promise<string> {
    const id = `appointment-${this.stored.size + 1}`;
    const now = new Date();
    this.stored.set(id, { id, ...appointment, patientName: null, status: 'SCHEDULED', createdAt: now, updatedAt: now });
    return id;
  }

  async findView(id: string): Promise<AppointmentView | null> {
    return this.stored.get(id) ?? null;
  }

  async listViews(filter: AppointmentFilter): Promise<AppointmentView[]> {
    this.filters.push(filter);
    return [...this.stored.values()];
  }
}

describe('AppointmentsService', () => {
  const startTime = new Date('2030-06-03T09:00:00Z');
  const endTime = new Date('2030-06-03T09:30:00Z');
  let repository: FakeAppointmentsRepository;
  let service: AppointmentsService;

  beforeEach(() => {
    repository = new FakeAppointmentsRepository();
    service = new AppointmentsService(repository as unknown as AppointmentsRepository);
  });

  it('schedules a SCHEDULED appointment with lower-case ids and no doctor by default', async () => {
    const appointment = await service.schedule({
      patientId: '123E4567-E89B-12D3-A456-426614174000',
      startTime,
      endTime,
      reason: 'Check-up',
    });
    expect(appointment).toMatchObject({
      patientId: '123e4567-e89b-12d3-a456-426614174000',
      doctorId: null,
      startTime,
      endTime,
      status: 'SCHEDULED',
    });
  });

  it.each([
    ['ends before it starts', new Date('2030-06-03T08:00:00Z')],
    ['has no length', startTime],
  ])('refuses an appointment that %s, naming endTime', async (_, badEnd) => {
    await expect(
      service.schedule({ patientId: '123e4567-e89b-12d3-a456-426614174000', startTime, endTime: badEnd, reason: 'x' }),
    ).rejects.toEqual(new InvalidAppointmentError('endTime', 'endTime must be after startTime'));
    expect(repository.stored.size).toBe(0);
  });

  it('lists with lower-cased filters and refuses an empty range, naming to', async () => {
    await service.list({ from: startTime, to: endTime, patientId: 'ABC', doctorId: 'DEF', status: 'SCHEDULED' });
    expect(repository.filters).toEqual([
      { from: startTime, to: endTime, patientId: 'abc', doctorId: 'def', status: 'SCHEDULED' },
    ]);

    const refused = service.list({ from: endTime, to: endTime });
    await expect(refused).rejects.toBeInstanceOf(InvalidAppointmentError);
    await expect(refused).rejects.toMatchObject({ field: 'to' });
  });
});
