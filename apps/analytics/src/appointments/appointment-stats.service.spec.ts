import type { AppointmentEvent } from '@pm/contracts';
import { type Transaction, type Transactions, ProblemException } from '@pm/platform';
import { typedFake } from '@pm/testing';
import type { EventPosition } from '../events/event-position';
import { UnusableEventError } from '../events/unusable-event.error';
import type { AnalyticsUpdate } from '../stream/analytics-updates';
import { InMemoryStatsTables, recordedUpdates } from '../testing/analytics-fakes';
import type { AppointmentState, AppointmentStatus } from './appointment-state.entity';
import type { AppointmentCountRow, AppointmentStatsRepository } from './appointment-stats.repository';
import { AppointmentStatsService, noShowRate } from './appointment-stats.service';

interface FakeState {
  processed: Set<string>;
  states: Map<string, AppointmentState>;
  /** `day|doctor|status` → count */
  counts: Map<string, number>;
}

const copy = (s: FakeState): FakeState => ({
  processed: new Set(s.processed),
  states: new Map([...s.states].map(([k, v]) => [k, { ...v }])),
  counts: new Map(s.counts),
});

/** In memory (InMemoryStatsTables), with the real thing's non-negative counts. */
class FakeAppointmentStatsRepository
  extends InMemoryStatsTables<FakeState>
  implements Pick<AppointmentStatsRepository, 'recordProcessed' | 'findState' | 'saveState' | 'addToCount' | 'readCounts'>
{
  constructor() {
    super({ processed: new Set(), states: new Map(), counts: new Map() }, copy);
  }

  async findState(id: string, tx: Transaction): Promise<AppointmentState | null> {
    const found = this.draft(tx).states.get(id);
    return found ? { ...found } : null;
  }

  async saveState(state: AppointmentState, tx: Transaction): Promise<void> {
    this.draft(tx).states.set(state.appointmentId, { ...state });
  }

  async addToCount(day: string, doctorId: string, status: AppointmentStatus, delta: 1 | -1, tx: Transaction): Promise<void> {
    const draft = this.draft(tx);
    const key = `${day}|${doctorId}|${status}`;
    const next = (draft.counts.get(key) ?? 0) + delta;
    if (next < 0) throw new Error('count below zero');
    draft.counts.set(key, next);
  }

  async readCounts(from: string, to: string): Promise<AppointmentCountRow[]> {
    const sums = new Map<string, number>();
    for (const [key, count] of this.state.counts) {
      const [day, doctorId, status] = key.split('|');
      if (day < from || day > to || count === 0) continue;
      sums.set(`${doctorId}|${status}`, (sums.get(`${doctorId}|${status}`) ?? 0) + count);
    }
    return [...sums].map(([key, count]) => {
      const [doctorId, status] = key.split('|');
      return { doctorId, status: status as AppointmentStatus, count };
    });
  }
}

const MARCH_2 = Date.parse('2024-03-02T09:00:00Z');
const MARCH_3 = Date.parse('2024-03-03T09:00:00Z');
let nextId = 0;
const event = (appointmentId: string, status: string, overrides: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
  event_id: `e-${++nextId}`,
  event_type: 'APPOINTMENT_SCHEDULED',
  appointment_id: appointmentId,
  patient_id: '11111111-1111-4111-8111-111111111111',
  doctor_id: 'doc-a',
  start_time: MARCH_2,
  end_time: MARCH_2 + 1_800_000,
  status,
  occurred_at: MARCH_2 - 86_400_000,
  ...overrides,
});
const at = (): EventPosition => ({ topic: 'appointment', partition: 0, offset: String(++nextId), timestamp: String(MARCH_2) });

describe('AppointmentStatsService', () => {
  let repository: FakeAppointmentStatsRepository;
  let updates: AnalyticsUpdate[];
  let service: AppointmentStatsService;

  beforeEach(() => {
    repository = new FakeAppointmentStatsRepository();
    const recorded = recordedUpdates();
    updates = recorded.updates;
    service = new AppointmentStatsService(typedFake<AppointmentStatsRepository>(repository), typedFake<Transactions>(repository.transactions), recorded.feed);
  });

  it('counts a scheduled appointment on its start day, by status and by doctor', async () => {
    await expect(service.apply(event('a1', 'SCHEDULED'), at())).resolves.toBe('applied');
    const summary = await service.summary('2024-03-02', '2024-03-02');
    expect(summary.byStatus).toEqual({ SCHEDULED: 1, CHECKED_IN: 0, COMPLETED: 0, CANCELLED: 0, NO_SHOW: 0 });
    expect(summary.byDoctor).toEqual([{ doctorId: 'doc-a', total: 1, byStatus: { ...summary.byStatus } }]);
    expect(updates).toEqual([{ type: 'appointments', day: '2024-03-02', status: 'SCHEDULED', previous: null }]);
  });

  it('moves the count when the status changes, so the appointment is counted once', async () => {
    await service.apply(event('a1', 'SCHEDULED'), at());
    await service.apply(event('a1', 'CHECKED_IN', { event_type: 'APPOINTMENT_CHECKED_IN' }), at());
    await service.apply(event('a1', 'COMPLETED', { event_type: 'APPOINTMENT_COMPLETED' }), at());
    const summary = await service.summary('2024-03-01', '2024-03-31');
    expect(summary.byStatus).toEqual({ SCHEDULED: 0, CHECKED_IN: 0, COMPLETED: 1, CANCELLED: 0, NO_SHOW: 0 });
    expect(summary.byDoctor[0].total).toBe(1);
  });

  it('moves the count to the new day and doctor on a reschedule', async () => {
    await service.apply(event('a1', 'SCHEDULED'), at());
    await service.apply(event('a1', 'SCHEDULED', { event_type: 'APPOINTMENT_RESCHEDULED', start_time: MARCH_3, doctor_id: 'doc-b' }), at());
    expect((await service.summary('2024-03-02', '2024-03-02')).byStatus.SCHEDULED).toBe(0);
    const march3 = await service.summary('2024-03-03', '2024-03-03');
    expect(march3.byDoctor).toEqual([{ doctorId: 'doc-b', total: 1, byStatus: expect.objectContaining({ SCHEDULED: 1 }) }]);
  });

  it('changes nothing when the same event is delivered again', async () => {
    const scheduled = event('a1', 'SCHEDULED');
    await service.apply(scheduled, at());
    const cancelled = event('a1', 'CANCELLED', { event_type: 'APPOINTMENT_CANCELLED' });
    await service.apply(cancelled, at());
    const before = copy(repository.state);
    await expect(service.apply(cancelled, at())).resolves.toBe('duplicate');
    await expect(service.apply(scheduled, at())).resolves.toBe('duplicate');
    expect(repository.state).toEqual(before);
    expect(updates).toHaveLength(2);
  });

  it('reports appointments without a doctor under doctorId null', async () => {
    await service.apply(event('a1', 'SCHEDULED', { doctor_id: '' }), at());
    expect((await service.summary('2024-03-02', '2024-03-02')).byDoctor).toEqual([
      { doctorId: null, total: 1, byStatus: expect.objectContaining({ SCHEDULED: 1 }) },
    ]);
  });

  it('orders doctors by total and computes the no-show rate over completed and no-shows', async () => {
    await service.apply(event('a1', 'COMPLETED', { doctor_id: 'doc-b' }), at());
    await service.apply(event('a2', 'NO_SHOW', { doctor_id: 'doc-b' }), at());
    await service.apply(event('a3', 'COMPLETED', { doctor_id: 'doc-b' }), at());
    await service.apply(event('a4', 'CANCELLED', { doctor_id: 'doc-a' }), at());
    await service.apply(event('a5', 'COMPLETED', { doctor_id: 'doc-a' }), at());
    const summary = await service.summary('2024-03-02', '2024-03-02');
    expect(summary.byDoctor.map((d) => [d.doctorId, d.total])).toEqual([
      ['doc-b', 3],
      ['doc-a', 2],
    ]);
    expect(summary.noShowRate).toBe(0.25);
  });

  it('orders doctors with equal totals by id, appointments without a doctor first', async () => {
    await service.apply(event('a1', 'SCHEDULED', { doctor_id: 'doc-b' }), at());
    await service.apply(event('a2', 'SCHEDULED', { doctor_id: '' }), at());
    await service.apply(event('a3', 'SCHEDULED', { doctor_id: 'doc-a' }), at());
    const summary = await service.summary('2024-03-02', '2024-03-02');
    expect(summary.byDoctor.map((d) => d.doctorId)).toEqual([null, 'doc-a', 'doc-b']);
  });

  it('answers zeros and a no-show rate of 0 for an empty range', async () => {
    expect(await service.summary('2024-01-01', '2024-01-31')).toEqual({
      from: '2024-01-01',
      to: '2024-01-31',
      byStatus: { SCHEDULED: 0, CHECKED_IN: 0, COMPLETED: 0, CANCELLED: 0, NO_SHOW: 0 },
      byDoctor: [],
      noShowRate: 0,
    });
    expect(noShowRate({ SCHEDULED: 4, CHECKED_IN: 0, COMPLETED: 0, CANCELLED: 2, NO_SHOW: 0 })).toBe(0);
  });

  it('refuses a range that ends before it starts, naming to', async () => {
    await expect(service.summary('2024-03-02', '2024-03-01')).rejects.toThrow(ProblemException);
  });

  it.each([
    ['an unknown status', { status: 'LOST' }, 'status'],
    ['no start time', { start_time: 0 }, 'start_time'],
  ])('refuses %s without recording anything', async (_what, overrides, field) => {
    const failure = service.apply(event('a1', 'SCHEDULED', overrides), at());
    await expect(failure).rejects.toThrow(UnusableEventError);
    await expect(failure).rejects.toMatchObject({ field });
    expect(repository.state.processed.size).toBe(0);
  });
});
