import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@pm/platform';
import { DataSource } from 'typeorm';
import { recordProcessedEvent } from '../events/processed-events';
import { AppointmentState, AppointmentStatus } from './appointment-state.entity';

/** One (doctor, status) count summed over a range of days. */
export interface AppointmentCountRow {
  doctorId: string;
  status: AppointmentStatus;
  count: number;
}

@Injectable()
export class AppointmentStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the event was applied before: then nothing else may be written in `tx`. */
  recordProcessed(eventId: string, topic: string, tx: Transaction): Promise<boolean> {
    return recordProcessedEvent(eventId, topic, tx);
  }

  /** Locks the appointment's row until `tx` ends. */
  async findState(appointmentId: string, tx: Transaction): Promise<AppointmentState | null> {
    const rows: { appointment_id: string; status: AppointmentStatus; doctor_id: string; day: string }[] = await tx.query(
      `SELECT appointment_id, status, doctor_id, day::text AS day FROM appointment_states WHERE appointment_id = $1 FOR UPDATE`,
      [appointmentId],
    );
    if (rows.length === 0) return null;
    return Object.assign(new AppointmentState(), {
      appointmentId: rows[0].appointment_id,
      status: rows[0].status,
      doctorId: rows[0].doctor_id,
      day: rows[0].day,
    });
  }

  async saveState(state: AppointmentState, tx: Transaction): Promise<void> {
    await tx.query(
      `INSERT INTO appointment_states (appointment_id, status, doctor_id, day) VALUES ($1, $2, $3, $4)
       ON CONFLICT (appointment_id) DO UPDATE SET status = EXCLUDED.status, doctor_id = EXCLUDED.doctor_id, day = EXCLUDED.day`,
      [state.appointmentId, state.status, state.doctorId, state.day],
    );
  }

  async addToCount(day: string, doctorId: string, status: AppointmentStatus, delta: 1 | -1, tx: Transaction): Promise<void> {
    if (delta < 0) {
      // An UPDATE: an upsert would check the proposed row (count -1) against the CHECK first.
      await tx.query(
        `UPDATE appointment_daily_counts SET count = count - 1 WHERE day = $1 AND doctor_id = $2 AND status = $3`,
        [day, doctorId, status],
      );
      return;
    }
    await tx.query(
      `INSERT INTO appointment_daily_counts (day, doctor_id, status, count) VALUES ($1, $2, $3, 1)
       ON CONFLICT (day, doctor_id, status) DO UPDATE SET count = appointment_daily_counts.count + 1`,
      [day, doctorId, status],
    );
  }

  /** Counts per doctor and status over the inclusive range of days. */
  readCounts(from: string, to: string): Promise<AppointmentCountRow[]> {
    return this.dataSource.query(
      `SELECT doctor_id AS "doctorId", status, sum(count)::int AS count
       FROM appointment_daily_counts
       WHERE day BETWEEN $1::date AND $2::date AND count > 0
       GROUP BY doctor_id, status
       ORDER BY doctor_id, status`,
      [from, to],
    );
  }
}
