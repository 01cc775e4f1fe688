import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { recordProcessedEvent } from '../events/processed-events';
import { AppointmentState, AppointmentStatus } from './appointment-state.entity';

/** One (doctor, status) count summed over a range of days. */
export interface AppointmentCountRow {
  doctorId: string;
  status: AppointmentStatus;
  count: number;
}

/** The writes one appointment event may make; all of them commit together or not at all. */
export interface AppointmentStatsTransaction {
  /** False when the event was applied before: then nothing else may be written. */
  recordProcessed(eventId: string, topic: string): Promise<boolean>;
  /** Locks the appointment's row until the transaction ends. */
  findState(appointmentId: string): Promise<AppointmentState | null>;
  saveState(state: AppointmentState): Promise<void>;
  addToCount(day: string, doctorId: string, status: AppointmentStatus, delta: 1 | -1): Promise<void>;
}

class SqlAppointmentStatsTransaction implements AppointmentStatsTransaction {
  constructor(private readonly manager: EntityManager) {}

  recordProcessed(eventId: string, topic: string): Promise<boolean> {
    return recordProcessedEvent(this.manager, eventId, topic);
  }

  async findState(appointmentId: string): Promise<AppointmentState | null> {
    const rows: { appointment_id: string; status: AppointmentStatus; doctor_id: string; day: string }[] = await this.manager.query(
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

  async saveState(state: AppointmentState): Promise<void> {
    await this.manager.query(
      `INSERT INTO appointment_states (appointment_id, status, doctor_id, day) VALUES ($1, $2, $3, $4)
       ON CONFLICT (appointment_id) DO UPDATE SET status = EXCLUDED.status, doctor_id = EXCLUDED.doctor_id, day = EXCLUDED.day`,
      [state.appointmentId, state.status, state.doctorId, state.day],
    );
  }

  async addToCount(day: string, doctorId: string, status: AppointmentStatus, delta: 1 | -1): Promise<void> {
    if (delta < 0) {
      // An UPDATE: an upsert would check the proposed row (count -1) against the CHECK first.
      await this.manager.query(
        `UPDATE appointment_daily_counts SET count = count - 1 WHERE day = $1 AND doctor_id = $2 AND status = $3`,
        [day, doctorId, status],
      );
      return;
    }
    await this.manager.query(
      `INSERT INTO appointment_daily_counts (day, doctor_id, status, count) VALUES ($1, $2, $3, 1)
       ON CONFLICT (day, doctor_id, status) DO UPDATE SET count = appointment_daily_counts.count + 1`,
      [day, doctorId, status],
    );
  }
}

@Injectable()
export class AppointmentStatsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (transaction: AppointmentStatsTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new SqlAppointmentStatsTransaction(manager)));
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
