import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../crypto/field-cipher';
import { PatientStorageError } from '../patients/shared/patient-table';
import type { AppointmentStatus, CareTeamAppointment, CareTeamMember, EmergencyGrant, Restriction } from './record-access';

// How far back a visit keeps a doctor in the care team.
const CARE_TEAM_WINDOW = `interval '12 months'`;

/**
 * The appointments that make a doctor part of the patient's care team at `$2`: a visit (checked
 * in or completed) in the last 12 months, or a scheduled one, future or recent, that someone else
 * booked (a doctor cannot book themselves into a record).
 */
const TREATING_APPOINTMENTS = `
  SELECT appointment_id, doctor_id::text AS doctor_id, status, start_time FROM care_team_appointments
  WHERE patient_id = $1 AND start_time >= $2::timestamptz - ${CARE_TEAM_WINDOW}
    AND (status IN ('CHECKED_IN', 'COMPLETED') OR (status = 'SCHEDULED' AND booked_by IS NOT NULL AND booked_by <> doctor_id))`;

interface RestrictionRow {
  reason: string;
  restricted_by: string;
  restricted_at: Date;
}

interface StandingRow {
  member: boolean;
  grant_reason: string | null;
  grant_expires_at: Date | null;
}

interface AppointmentMemberRow {
  appointment_id: string;
  doctor_id: string;
  status: AppointmentStatus;
  start_time: Date;
}

interface AssignmentRow {
  user_id: string;
  assigned_by: string;
  assigned_at: Date;
}

/**
 * Who may read a restricted record: its restriction, its care team (appointments as the
 * `appointment` topic last told them, and ADMIN's assignments) and the emergency grants. Reasons
 * go in sealed and come back opened.
 */
@Injectable()
export class RecordAccessRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  /** The patient's restriction; null when the record is not restricted. */
  async restriction(patientId: string): Promise<Restriction | null> {
    const [row] = await this.query<RestrictionRow>('SELECT reason, restricted_by, restricted_at FROM record_restrictions WHERE patient_id = $1', [patientId]);
    return row ? this.toRestriction(row) : null;
  }

  /** Restricts the record, or replaces the reason of its restriction (who and when with it). */
  async restrict(patientId: string, reason: string, by: string, at: Date): Promise<Restriction> {
    const [row] = await this.query<RestrictionRow>(
      `INSERT INTO record_restrictions (patient_id, reason, restricted_by, restricted_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (patient_id) DO UPDATE SET reason = EXCLUDED.reason, restricted_by = EXCLUDED.restricted_by, restricted_at = EXCLUDED.restricted_at
       RETURNING reason, restricted_by, restricted_at`,
      [patientId, this.cipher.encrypt(reason), by, at],
    );
    return this.toRestriction(row);
  }

  /** Lifts the restriction; false when there was none. */
  async lift(patientId: string): Promise<boolean> {
    return this.deleted('DELETE FROM record_restrictions WHERE patient_id = $1', [patientId]);
  }

  /** In one round trip: whether `userId` is in the patient's care team at `at`, and their emergency grant open at `at`, if any. */
  async standing(patientId: string, userId: string, at: Date): Promise<{ member: boolean; grant: EmergencyGrant | null }> {
    const [row] = await this.query<StandingRow>(
      `SELECT EXISTS (SELECT 1 FROM care_team_assignments WHERE patient_id = $1 AND user_id::text = $3)
           OR EXISTS (SELECT 1 FROM (${TREATING_APPOINTMENTS}) treating WHERE doctor_id = $3) AS member,
         g.reason AS grant_reason, g.expires_at AS grant_expires_at
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT reason, expires_at FROM emergency_access_grants
         WHERE patient_id = $1 AND user_id = $3 AND granted_at <= $2 AND expires_at > $2
         ORDER BY expires_at DESC LIMIT 1) g ON true`,
      [patientId, at, userId],
    );
    const grant = row.grant_reason === null ? null : { reason: this.cipher.decrypt(row.grant_reason), expiresAt: row.grant_expires_at! };
    return { member: row.member, grant };
  }

  /** Opens an emergency grant for `userId` on the patient's record until `expiresAt`. */
  async openGrant(patientId: string, userId: string, reason: string, at: Date, expiresAt: Date): Promise<EmergencyGrant> {
    await this.query(
      'INSERT INTO emergency_access_grants (patient_id, user_id, reason, granted_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [patientId, userId, this.cipher.encrypt(reason), at, expiresAt],
    );
    return { reason, expiresAt };
  }

  /** The care team at `at`: ADMIN's assignments, then the doctors of treating appointments (latest first). */
  async careTeam(patientId: string, at: Date): Promise<CareTeamMember[]> {
    const assigned = await this.query<AssignmentRow>(
      'SELECT user_id, assigned_by, assigned_at FROM care_team_assignments WHERE patient_id = $1 ORDER BY assigned_at, user_id',
      [patientId],
    );
    const treating = await this.query<AppointmentMemberRow>(`${TREATING_APPOINTMENTS} ORDER BY start_time DESC, appointment_id`, [patientId, at]);
    return [
      ...assigned.map((row): CareTeamMember => ({ userId: row.user_id, why: 'ASSIGNED', assignedBy: row.assigned_by, assignedAt: row.assigned_at })),
      ...treating.map(
        (row): CareTeamMember => ({ userId: row.doctor_id, why: 'APPOINTMENT', appointment: { id: row.appointment_id, status: row.status, startTime: row.start_time } }),
      ),
    ];
  }

  /** Assigns `userId` to the care team; false when they were assigned already (kept as it was). */
  async assign(patientId: string, userId: string, by: string, at: Date): Promise<boolean> {
    const rows = await this.query<{ user_id: string }>(
      `INSERT INTO care_team_assignments (patient_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (patient_id, user_id) DO NOTHING RETURNING user_id`,
      [patientId, userId, by, at],
    );
    return rows.length > 0;
  }

  /** Ends `userId`'s assignment; false when there was none. */
  async unassign(patientId: string, userId: string): Promise<boolean> {
    return this.deleted('DELETE FROM care_team_assignments WHERE patient_id = $1 AND user_id = $2', [patientId, userId]);
  }

  /**
   * Keeps the appointment as its latest event left it: an event older than the one stored (Kafka
   * redelivers, and a partition can be replayed) changes nothing. False for such a stale event.
   */
  async recordAppointment(appointment: CareTeamAppointment): Promise<boolean> {
    const rows = await this.query<{ appointment_id: string }>(
      `INSERT INTO care_team_appointments (appointment_id, patient_id, doctor_id, start_time, status, booked_by, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (appointment_id) DO UPDATE SET patient_id = EXCLUDED.patient_id, doctor_id = EXCLUDED.doctor_id, start_time = EXCLUDED.start_time,
         status = EXCLUDED.status, booked_by = COALESCE(EXCLUDED.booked_by, care_team_appointments.booked_by), occurred_at = EXCLUDED.occurred_at
       WHERE care_team_appointments.occurred_at < EXCLUDED.occurred_at
       RETURNING appointment_id`,
      [
        appointment.appointmentId,
        appointment.patientId,
        appointment.doctorId,
        appointment.startTime,
        appointment.status,
        appointment.bookedBy,
        appointment.occurredAt,
      ],
    );
    return rows.length > 0;
  }

  private toRestriction(row: RestrictionRow): Restriction {
    return { reason: this.cipher.decrypt(row.reason), restrictedBy: row.restricted_by, restrictedAt: row.restricted_at };
  }

  /** Whether the DELETE removed a row (TypeORM answers a DELETE with its rows and their count). */
  private async deleted(sql: string, params: unknown[]): Promise<boolean> {
    const [, count] = (await this.query(sql, params)) as unknown as [unknown[], number];
    return count > 0;
  }

  private async query<Row>(sql: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.dataSource.query(sql, params)) as Row[];
    } catch (error) {
      throw PatientStorageError.from(error);
    }
  }
}
