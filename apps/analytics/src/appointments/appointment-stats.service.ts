import { Injectable } from '@nestjs/common';
import type { AppointmentEvent } from '@pm/contracts';
import { Transactions } from '@pm/platform';
import { assertOrderedRange } from '../common/date-range.query';
import { ApplyOutcome, EventPosition, processedEventId, utcDay } from '../events/event-position';
import { UnusableEventError } from '../events/unusable-event.error';
import { AnalyticsUpdates } from '../stream/analytics-updates';
import { AppointmentState, AppointmentStatus, AppointmentStatuses } from './appointment-state.entity';
import { AppointmentCountRow, AppointmentStatsRepository } from './appointment-stats.repository';

export type StatusCounts = Record<AppointmentStatus, number>;

export interface AppointmentSummary {
  from: string;
  to: string;
  byStatus: StatusCounts;
  /** `doctorId` null: appointments booked without a doctor. */
  byDoctor: { doctorId: string | null; total: number; byStatus: StatusCounts }[];
  noShowRate: number;
}

const LATEST_USABLE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const zeroCounts = (): StatusCounts => ({ SCHEDULED: 0, CHECKED_IN: 0, COMPLETED: 0, CANCELLED: 0, NO_SHOW: 0 });

/** NO_SHOW / (COMPLETED + NO_SHOW): of the appointments that were due and settled, the share missed. */
export function noShowRate(counts: StatusCounts): number {
  const settled = counts.COMPLETED + counts.NO_SHOW;
  return settled === 0 ? 0 : counts.NO_SHOW / settled;
}

export function summarizeAppointments(from: string, to: string, rows: AppointmentCountRow[]): AppointmentSummary {
  const byStatus = zeroCounts();
  const doctors = new Map<string, StatusCounts>();
  for (const row of rows) {
    byStatus[row.status] += row.count;
    const counts = doctors.get(row.doctorId) ?? zeroCounts();
    counts[row.status] += row.count;
    doctors.set(row.doctorId, counts);
  }
  const byDoctor = [...doctors]
    .map(([doctorId, counts]) => ({
      doctorId: doctorId === '' ? null : doctorId,
      total: Object.values(counts).reduce((sum, n) => sum + n, 0),
      byStatus: counts,
    }))
    .sort((a, b) => b.total - a.total || (a.doctorId ?? '').localeCompare(b.doctorId ?? ''));
  return { from, to, byStatus, byDoctor, noShowRate: noShowRate(byStatus) };
}

/**
 * Appointments per day by status and by doctor. Each appointment is counted once, where its
 * latest event puts it: an event first takes it out of its previous (day, doctor, status) count.
 * Relies on Kafka keeping one appointment's events in order (the appointment id is the key).
 */
@Injectable()
export class AppointmentStatsService {
  constructor(
    private readonly stats: AppointmentStatsRepository,
    private readonly transactions: Transactions,
    private readonly updates: AnalyticsUpdates,
  ) {}

  async apply(event: AppointmentEvent, position: EventPosition): Promise<ApplyOutcome> {
    const status = event.status as AppointmentStatus;
    if (!AppointmentStatuses.includes(status)) throw new UnusableEventError('status', 'status is not an appointment status');
    if (!Number.isFinite(event.start_time) || event.start_time <= 0 || event.start_time > LATEST_USABLE_MS) {
      throw new UnusableEventError('start_time', 'start_time is not a usable instant');
    }
    const next = Object.assign(new AppointmentState(), {
      appointmentId: event.appointment_id,
      status,
      doctorId: event.doctor_id ?? '',
      day: utcDay(new Date(event.start_time)),
    });
    const eventId = processedEventId(event.event_id, position);

    const previous = await this.transactions.run(async (tx) => {
      if (!(await this.stats.recordProcessed(eventId, position.topic, tx))) return 'duplicate' as const;
      const known = await this.stats.findState(next.appointmentId, tx);
      if (known) await this.stats.addToCount(known.day, known.doctorId, known.status, -1, tx);
      await this.stats.addToCount(next.day, next.doctorId, next.status, 1, tx);
      await this.stats.saveState(next, tx);
      return known ? { day: known.day, status: known.status } : null;
    });
    if (previous === 'duplicate') return 'duplicate';
    this.updates.emit({ type: 'appointments', day: next.day, status: next.status, previous });
    return 'applied';
  }

  async summary(from: string, to: string): Promise<AppointmentSummary> {
    assertOrderedRange(from, to);
    return summarizeAppointments(from, to, await this.stats.readCounts(from, to));
  }
}
