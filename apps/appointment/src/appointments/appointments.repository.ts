import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppointmentEvent, Topics, encodeAppointmentEvent } from '@pm/contracts';
import { OutboxWriter } from '@pm/outbox';
import { DataSource, QueryFailedError } from 'typeorm';
import type { Transaction } from '@pm/platform';
import type { AppointmentStatus } from './appointment.entity';
import { OverlappingAppointmentError } from './appointments.errors';

/** An appointment row as stored. */
export interface AppointmentRecord {
  id: string;
  patientId: string;
  doctorId: string;
  startTime: Date;
  endTime: Date;
  reason: string;
  status: AppointmentStatus;
  /** The user id of who booked it; null for appointments booked before it was recorded. */
  bookedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * An appointment as read, with the patient's name from the directory (null when unknown) and
 * when a note documented the visit (null until one does).
 */
export interface AppointmentView extends AppointmentRecord {
  patientName: string | null;
  documentedAt: Date | null;
}

export interface NewAppointment {
  patientId: string;
  doctorId: string;
  startTime: Date;
  endTime: Date;
  reason: string;
  bookedBy: string;
}

export type AppointmentChanges = Partial<Pick<AppointmentRecord, 'doctorId' | 'startTime' | 'endTime' | 'reason' | 'status'>>;

export interface AppointmentFilter {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  patientId?: string;
  doctorId?: string;
  status?: AppointmentStatus;
}

/** One patient's appointments, optionally within [from, to) on the start, a page at a time. */
export interface PatientAppointmentsQuery {
  patientId: string;
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
}

export interface AppointmentPage {
  /** Every match, across pages. */
  total: number;
  views: AppointmentView[];
}

/** What the directory says about a patient at booking time. */
export interface BookablePatient {
  deleted: boolean;
}

interface AppointmentRow {
  id: string;
  patient_id: string;
  patient_name?: string | null;
  documented_at?: Date | null;
  doctor_id: string;
  start_time: Date;
  end_time: Date;
  reason: string;
  status: AppointmentStatus;
  booked_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, patient_id, doctor_id, start_time, end_time, reason, status, booked_by, created_at, updated_at';

// The name is joined at read time, so it shows as soon as the patient's event has arrived,
// whether that was before or after the appointment was made.
const SELECT_VIEW = `
  SELECT a.id, a.patient_id, d.name AS patient_name, a.doctor_id, a.start_time, a.end_time,
         a.reason, a.status, a.booked_by, a.created_at, a.updated_at, a.documented_at
  FROM appointments a
  LEFT JOIN patients_directory d ON d.patient_id = a.patient_id`;

const OVERLAP_CONSTRAINTS: Record<string, 'doctor' | 'patient'> = {
  ex_appointments_doctor_no_overlap: 'doctor',
  ex_appointments_patient_no_overlap: 'patient',
};
const EXCLUSION_VIOLATION = '23P01';

const CHANGE_COLUMNS: Record<keyof AppointmentChanges, string> = {
  doctorId: 'doctor_id',
  startTime: 'start_time',
  endTime: 'end_time',
  reason: 'reason',
  status: 'status',
};

@Injectable()
export class AppointmentsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * The patient's directory entry, share-locked until the transaction ends: a PATIENT_DELETED
   * applied meanwhile waits for this booking and then cancels it, or this booking sees the delete.
   */
  async findPatientForBooking(patientId: string, tx: Transaction): Promise<BookablePatient | null> {
    const rows: { deleted: boolean }[] = await tx.query(
      'SELECT deleted FROM patients_directory WHERE patient_id = $1 FOR SHARE',
      [patientId],
    );
    return rows[0] ?? null;
  }

  async insert(appointment: NewAppointment, tx: Transaction): Promise<AppointmentRecord> {
    const rows: AppointmentRow[] = await translateOverlap(
      tx.query(
        `INSERT INTO appointments (patient_id, doctor_id, start_time, end_time, reason, booked_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [appointment.patientId, appointment.doctorId, appointment.startTime, appointment.endTime, appointment.reason, appointment.bookedBy],
      ),
    );
    return toRecord(rows[0]);
  }

  /** The appointment, row-locked until the transaction ends, so concurrent changes queue up. */
  async lock(id: string, tx: Transaction): Promise<AppointmentRecord | null> {
    const rows: AppointmentRow[] = await tx.query(`SELECT ${COLUMNS} FROM appointments WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async update(id: string, changes: AppointmentChanges, tx: Transaction): Promise<AppointmentRecord> {
    const parameters: unknown[] = [id];
    const assignments = ['updated_at = now()'];
    for (const [key, column] of Object.entries(CHANGE_COLUMNS) as [keyof AppointmentChanges, string][]) {
      if (changes[key] === undefined) continue;
      parameters.push(changes[key]);
      assignments.push(`${column} = $${parameters.length}`);
    }
    const [rows]: [AppointmentRow[], number] = await translateOverlap(
      tx.query(`UPDATE appointments SET ${assignments.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, parameters),
    );
    return toRecord(rows[0]);
  }

  /** Cancels the patient's active appointments starting after `after`; returns them as changed. */
  async cancelActiveStartingAfter(patientId: string, after: Date, tx: Transaction): Promise<AppointmentRecord[]> {
    const [rows]: [AppointmentRow[], number] = await tx.query(
      `UPDATE appointments SET status = 'CANCELLED', updated_at = now()
       WHERE patient_id = $1 AND status IN ('SCHEDULED', 'CHECKED_IN') AND start_time > $2
       RETURNING ${COLUMNS}`,
      [patientId, after],
    );
    return rows.map(toRecord).sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  }

  /** Queues the events in the transaction's outbox: published, in order, once it commits. */
  recordEvents(events: AppointmentEvent[], tx: Transaction): Promise<void> {
    return this.outbox.add(
      tx,
      events.map((event) => ({
        topic: Topics.appointment,
        key: event.appointment_id,
        value: encodeAppointmentEvent(event),
        headers: { 'event-type': event.event_type },
      })),
    );
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

  /** A page of the patient's appointments, earliest first, and how many match in all. */
  async pageOfPatient(query: PatientAppointmentsQuery): Promise<AppointmentPage> {
    const conditions = ['a.patient_id = $1'];
    const parameters: unknown[] = [query.patientId];
    if (query.from) {
      parameters.push(query.from);
      conditions.push(`a.start_time >= $${parameters.length}`);
    }
    if (query.to) {
      parameters.push(query.to);
      conditions.push(`a.start_time < $${parameters.length}`);
    }
    const where = conditions.join(' AND ');
    const [counted]: { total: string }[] = await this.dataSource.query(`SELECT count(*) AS total FROM appointments a WHERE ${where}`, parameters);
    const rows: AppointmentRow[] = await this.dataSource.query(
      `${SELECT_VIEW} WHERE ${where} ORDER BY a.start_time, a.id LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, query.limit, query.offset],
    );
    return { total: Number(counted.total), views: rows.map(toView) };
  }
}

/** An exclusion-constraint violation becomes OverlappingAppointmentError naming the party. */
async function translateOverlap<T>(query: Promise<T>): Promise<T> {
  try {
    return await query;
  } catch (error) {
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    const party = driverError?.code === EXCLUSION_VIOLATION ? OVERLAP_CONSTRAINTS[driverError.constraint ?? ''] : undefined;
    if (party) throw new OverlappingAppointmentError(party);
    throw error;
  }
}

function toRecord(row: AppointmentRow): AppointmentRecord {
  return {
    id: row.id,
    patientId: row.patient_id,
    doctorId: row.doctor_id,
    startTime: row.start_time,
    endTime: row.end_time,
    reason: row.reason,
    status: row.status,
    bookedBy: row.booked_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toView(row: AppointmentRow): AppointmentView {
  return { ...toRecord(row), patientName: row.patient_name ?? null, documentedAt: row.documented_at ?? null };
}
