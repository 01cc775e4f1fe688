import { Injectable } from '@nestjs/common';
import type { Role } from '@pm/auth-tokens';
import { Clock } from '@pm/platform';
import { noteAccess } from '../audit/access-notes';
import type { AuditOutcome } from '../audit/audit-entry.entity';
import { AuditTrail } from '../audit/audit-trail';
import { RecordsService } from '../patients/records/records.service';
import { ACCESS_REASON_MAX, ACCESS_REASON_MIN, AccessReasonInvalidError, NotTreatingDoctorError, RestrictedRecordError, RestrictedRecordWriteError } from './record-access.errors';
import type { CareTeamAppointment, CareTeamMember, ClinicalAccess, RecordCaller, Restriction } from './record-access';
import { RecordAccessRepository } from './record-access.repository';

/** How long breaking the glass opens a record for. */
export const EMERGENCY_ACCESS_MS = 60 * 60 * 1000;

// Who may break the glass: clinicians. Another role that reaches the record (it should not) is refused.
const CLINICIANS: readonly Role[] = ['DOCTOR', 'NURSE'];

/** What a call on the medical record is about, for the audit entry the access service writes itself. */
export interface ClinicalTarget {
  access: ClinicalAccess;
  /** A kind of clinical entry, or `record` for the chart. */
  entryKind: string;
}

/** A restriction as a caller sees it: the reason only for who may read the record. */
export type RestrictionView = { restricted: false } | ({ restricted: true } & Omit<Restriction, 'reason'> & { reason?: string });

/**
 * Restricted records and break the glass. A restricted record's clinical entries are for its care
 * team and ADMIN; any other clinician is refused, unless they state a reason (X-Access-Reason),
 * which opens an hour of read-only access audited EMERGENCY with that reason. Every call on the
 * medical record passes through `authorize`, whatever answers it (REST, FHIR).
 */
@Injectable()
export class RecordAccessService {
  constructor(
    private readonly access: RecordAccessRepository,
    private readonly patients: RecordsService,
    private readonly clock: Clock,
    private readonly trail: AuditTrail,
  ) {}

  /**
   * Lets the call through, or throws: RestrictedRecordError (a read outside the care team without
   * a reason), RestrictedRecordWriteError (a write outside it), AccessReasonInvalidError.
   */
  async authorize(patientId: string, caller: RecordCaller, target: ClinicalTarget): Promise<void> {
    if (await this.access.restriction(patientId)) await this.authorizeRestricted(patientId, caller, target);
  }

  /** `authorize` for a record known to be restricted (the chart learns it in its own query). */
  async authorizeRestricted(patientId: string, caller: RecordCaller, target: ClinicalTarget): Promise<void> {
    // ADMIN reads restricted records too (audited as every read); the policy lets ADMIN write nothing clinical.
    if (caller.role === 'ADMIN') return;
    const now = this.clock.now();
    const { member, grant } = await this.access.standing(patientId, caller.userId, now);
    if (member) return;
    if (target.access === 'write') return this.refuse(patientId, caller, target, new RestrictedRecordWriteError());
    if (!CLINICIANS.includes(caller.role)) return this.refuse(patientId, caller, target, new RestrictedRecordError());
    if (grant) return this.emergency(patientId, caller, target, grant.reason);
    if (caller.accessReason === undefined) return this.refuse(patientId, caller, target, new RestrictedRecordError());
    const reason = caller.accessReason.trim();
    if (reason.length < ACCESS_REASON_MIN || reason.length > ACCESS_REASON_MAX) return this.refuse(patientId, caller, target, new AccessReasonInvalidError());
    await this.access.openGrant(patientId, caller.userId, reason, now, new Date(now.getTime() + EMERGENCY_ACCESS_MS));
    return this.emergency(patientId, caller, target, reason);
  }

  /** The record's restriction; its reason only for ADMIN and the care team. */
  async restrictionOf(patientId: string, caller: RecordCaller): Promise<RestrictionView> {
    await this.patients.get(patientId);
    const restriction = await this.access.restriction(patientId);
    if (!restriction) return { restricted: false };
    const { reason, ...shown } = restriction;
    const mayRead = caller.role === 'ADMIN' || (await this.access.standing(patientId, caller.userId, this.clock.now())).member;
    return mayRead ? { restricted: true, ...shown, reason } : { restricted: true, ...shown };
  }

  /** Restricts the record (or restates why). ADMIN, or a DOCTOR of the care team: NotTreatingDoctorError otherwise. */
  async restrict(patientId: string, reason: string, caller: RecordCaller): Promise<Restriction> {
    await this.checkTreating(patientId, caller);
    return this.access.restrict(patientId, reason, caller.userId, this.clock.now());
  }

  /** Lifts the restriction (nothing to do when there is none). ADMIN, or a DOCTOR of the care team. */
  async lift(patientId: string, caller: RecordCaller): Promise<void> {
    await this.checkTreating(patientId, caller);
    await this.access.lift(patientId);
  }

  /** Who is in the care team now, and why (one item per reason). */
  async careTeam(patientId: string): Promise<CareTeamMember[]> {
    await this.patients.get(patientId);
    return this.access.careTeam(patientId, this.clock.now());
  }

  /** Assigns a user to the care team; false when they were already. */
  async assign(patientId: string, userId: string, by: string): Promise<boolean> {
    await this.patients.get(patientId);
    return this.access.assign(patientId, userId.toLowerCase(), by, this.clock.now());
  }

  /** Ends a user's assignment (nothing to do when there is none). */
  async unassign(patientId: string, userId: string): Promise<void> {
    await this.patients.get(patientId);
    await this.access.unassign(patientId, userId.toLowerCase());
  }

  /** An appointment event: the care team follows the appointment's latest state. */
  async recordAppointment(appointment: CareTeamAppointment): Promise<'recorded' | 'stale'> {
    return (await this.access.recordAppointment(appointment)) ? 'recorded' : 'stale';
  }

  private async checkTreating(patientId: string, caller: RecordCaller): Promise<void> {
    await this.patients.get(patientId);
    if (caller.role === 'ADMIN') return;
    if (caller.role === 'DOCTOR' && (await this.access.standing(patientId, caller.userId, this.clock.now())).member) return;
    throw new NotTreatingDoctorError();
  }

  private async refuse(patientId: string, caller: RecordCaller, target: ClinicalTarget, error: Error): Promise<never> {
    await this.audit(patientId, caller, target, 'DENIED');
    throw error;
  }

  private async emergency(patientId: string, caller: RecordCaller, target: ClinicalTarget, reason: string): Promise<void> {
    await this.audit(patientId, caller, target, 'EMERGENCY', reason);
  }

  /**
   * The outcome goes on the entry the AuditInterceptor writes for the request; a call made outside
   * an audited route gets an entry of its own, so no break-the-glass read goes unaudited.
   */
  private async audit(patientId: string, caller: RecordCaller, target: ClinicalTarget, outcome: Exclude<AuditOutcome, 'ALLOWED'>, reason?: string): Promise<void> {
    if (noteAccess({ outcome, reason })) return;
    await this.trail.record({
      at: this.clock.now(),
      actorId: caller.userId,
      actorRole: caller.role,
      action: target.access === 'write' ? 'UPDATE' : 'READ',
      entryKind: target.entryKind,
      patientIds: [patientId],
      requestId: null,
      sourceIp: null,
      outcome,
      reason: reason ?? null,
    });
  }
}
