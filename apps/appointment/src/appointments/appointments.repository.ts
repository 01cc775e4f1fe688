import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppointmentStatus } from './appointment.entity';

/** An appointment as read, with the patient's name from the directory (null when unknown). */
export interface AppointmentView {
  id: string;
  patientId: string;
  patientName: string | null;
  doctorId: string | null;
  startTime: Date;
  endTime: Date;
  reason: string;
  status: AppointmentStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewAppointment {
  patientId: string;
  doctorId: string | null;
  startTime: Date;
  endTime: Date;
  reason: string;
}

export interface AppointmentFilter {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  patientId?: string;
  doctorId?: string;
  status?: AppointmentStatus;
}

interface AppointmentRow {
  id: string;
  patient_id: string;
  patient_name: string | null;
  doctor_id: string | null;
  start_time: Date;
  end_time: Date;
  reason: string;
  status: AppointmentStatus;
  created_at: Date;
  updated_at: Date;
}

// The name is joined at read time, so it shows as soon as the patient's event has arrived,
// whether that was before or after the appointment was made.
const SELECT_VIEW = `
  SELECT a.id, a.patient_id, d.name AS patient_name, a.doctor_id, a.start_time, a.end_time,
         a.reason, a.status, a.created_at, a.updated_at
  FROM appointments a
  LEFT JOIN patients_directory d ON d.patient_id = a.patient_id`;

@Injectable()
export class AppointmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(appointment: NewAppointment): Promise<string> {
    const [row]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO appointments (patient_id, doctor_id, start_time, end_time, reason)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [appointment.patientId, appointment.doctorId, appointment.startTime, appointment.endTime, appointment.reason],
    );
    return row.id;
  }

  async findView(id: string): Promise<AppointmentView | null> {
    const rows: AppointmentRow[] = await this.dataSource.query(`${SELECT_VIEW} WHERE a.id = $1`, [id]);
    return rows.length > 0 ? toView(rows[0]) : null;
  }

  async listViews(filter: AppointmentFilter): Promise<AppointmentView[]> {
    const conditions = ['a.start_time >= $1', 'a.start_time < $2'];
    const parameters: unknown[] = [filter.from, filter.to];
    const optional: [string, unknown][] = [
      ['a.patient_id', filter.patientId],
      ['a.doctor_id', filter.doctorId],
      ['a.status', filter.status],
    ];
    for (const [column, value] of optional) {
      if (value === undefined) continue;
      parameters.push(value);
      conditions.push(`${column} = $${parameters.length}`);
    }
    const rows: AppointmentRow[] = await this.dataSource.query(
      `${SELECT_VIEW} WHERE ${conditions.join(' AND ')} ORDER BY a.start_time, a.id`,
      parameters,
    );
    return rows.map(toView);
  }
}

function toView(row: AppointmentRow): AppointmentView {
  return {
    id: row.id,
    patientId: row.patient_id,
    patientName: row.patient_name,
    doctorId: row.doctor_id,
    startTime: row.start_time,
    endTime: row.end_time,
    reason: row.reason,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
