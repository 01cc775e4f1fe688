import type { Role } from '@pm/auth-tokens';

/**
 * Who asks for a patient's clinical entries: every call on the medical record (REST, FHIR) names
 * its caller so the restriction is checked the same way below all of them. `accessReason` is the
 * X-Access-Reason header, given to break the glass on a restricted record.
 */
export interface RecordCaller {
  userId: string;
  role: Role;
  accessReason?: string;
}

/** What a call does with the clinical entries: breaking the glass opens reads only. */
export type ClinicalAccess = 'read' | 'write';

export interface Restriction {
  reason: string;
  restrictedBy: string;
  restrictedAt: Date;
}

/** A read-only window on one patient's clinical entries for one clinician, opened by breaking the glass. */
export interface EmergencyGrant {
  reason: string;
  expiresAt: Date;
}

export const APPOINTMENT_STATUSES = ['SCHEDULED', 'CHECKED_IN', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

/** An appointment as the `appointment` topic's latest event about it tells it. */
export interface CareTeamAppointment {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  startTime: Date;
  status: AppointmentStatus;
  /** Null when not known (booked before the event carried it). */
  bookedBy: string | null;
  occurredAt: Date;
}

/** One reason a user is in a patient's care team: ADMIN assigned them, or an appointment names them. */
export type CareTeamMember =
  | { userId: string; why: 'ASSIGNED'; assignedBy: string; assignedAt: Date }
  | { userId: string; why: 'APPOINTMENT'; appointment: { id: string; status: AppointmentStatus; startTime: Date } };
