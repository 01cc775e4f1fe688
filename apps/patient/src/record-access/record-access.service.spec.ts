import { FakeClock, typedFake } from '@pm/testing';
import { AccessNoteSlot, withAccessNotes } from '../audit/access-notes';
import type { NewAuditEntry } from '../audit/audit-entry.entity';
import { AuditTrail } from '../audit/audit-trail';
import type { Patient } from '../patients/shared/patient.entity';
import { RecordsService } from '../patients/records/records.service';
import { PatientNotFoundError } from '../patients/shared/patient.errors';
import type { CareTeamAppointment, CareTeamMember, EmergencyGrant, Restriction } from './record-access';
import { AccessReasonInvalidError, NotTreatingDoctorError, RestrictedRecordError, RestrictedRecordWriteError } from './record-access.errors';
import { RecordAccessRepository } from './record-access.repository';
import { EMERGENCY_ACCESS_MS, RecordAccessService } from './record-access.service';

const PATIENT = '123e4567-e89b-12d3-a456-426614174000';
const DOCTOR = { userId: 'd0c70000-0000-4000-8000-000000000001', role: 'DOCTOR' as const };
const NURSE = { userId: 'a0e50000-0000-4000-8000-000000000002', role: 'NURSE' as const };
const ADMIN = { userId: 'ad000000-0000-4000-8000-000000000003', role: 'ADMIN' as const };
const READ = { access: 'read' as const, entryKind: 'allergies' };
const WRITE = { access: 'write' as const, entryKind: 'notes' };
const REASON = 'Unconscious in the emergency room';

/** In memory: one patient's restriction, care team and grants. */
class FakeRecordAccessRepository implements Pick<RecordAccessRepository, 'restriction' | 'restrict' | 'lift' | 'standing' | 'openGrant' | 'careTeam' | 'assign' | 'unassign' | 'recordAppointment'> {
  restricted: Restriction | null = null;
  readonly members = new Set<string>();
  grant: EmergencyGrant | null = null;
  readonly opened: { userId: string; reason: string; at: Date; expiresAt: Date }[] = [];
  readonly standingAsked: Date[] = [];
  readonly assigned: string[] = [];
  readonly unassigned: string[] = [];
  stale = false;

  async restriction(): Promise<Restriction | null> {
    return this.restricted;
  }
  async restrict(_patientId: string, reason: string, by: string, at: Date): Promise<Restriction> {
    this.restricted = { reason, restrictedBy: by, restrictedAt: at };
    return this.restricted;
  }
  async lift(): Promise<boolean> {
    const had = this.restricted !== null;
    this.restricted = null;
    return had;
  }
  async standing(_patientId: string, userId: string, at: Date): Promise<{ member: boolean; grant: EmergencyGrant | null }> {
    this.standingAsked.push(at);
    return { member: this.members.has(userId), grant: this.grant };
  }
  async openGrant(_patientId: string, userId: string, reason: string, at: Date, expiresAt: Date): Promise<EmergencyGrant> {
    this.opened.push({ userId, reason, at, expiresAt });
    return { reason, expiresAt };
  }
  async careTeam(): Promise<CareTeamMember[]> {
    return [...this.members].map((userId) => ({ userId, why: 'ASSIGNED', assignedBy: ADMIN.userId, assignedAt: new Date(0) }));
  }
  async assign(_patientId: string, userId: string): Promise<boolean> {
    this.assigned.push(userId);
    return !this.members.has(userId);
  }
  async unassign(_patientId: string, userId: string): Promise<boolean> {
    this.unassigned.push(userId);
    return this.members.delete(userId);
  }
  async recordAppointment(): Promise<boolean> {
    return !this.stale;
  }
}

describe('RecordAccessService', () => {
  const now = new Date('2030-06-01T12:00:00Z');
  let repository: FakeRecordAccessRepository;
  let audited: NewAuditEntry[];
  let missingPatient: boolean;
  let service: RecordAccessService;

  beforeEach(() => {
    repository = new FakeRecordAccessRepository();
    audited = [];
    missingPatient = false;
    const patients = typedFake<RecordsService>({
      get: async (id: string) => {
        if (missingPatient) throw new PatientNotFoundError(id);
        return typedFake<Patient>({ id });
      },
    });
    const trail = typedFake<AuditTrail>({ record: async (entry: NewAuditEntry) => void audited.push(entry) });
    service = new RecordAccessService(typedFake<RecordAccessRepository>(repository), patients, new FakeClock(now), trail);
  });

  const restrict = () => (repository.restricted = { reason: 'Staff', restrictedBy: ADMIN.userId, restrictedAt: now });

  describe('authorize', () => {
    it('lets anyone through to a record that is not restricted, without asking about the care team', async () => {
      await expect(service.authorize(PATIENT, NURSE, WRITE)).resolves.toBeUndefined();
      expect(repository.standingAsked).toEqual([]);
    });

    it('lets ADMIN and the care team through to a restricted record, auditing nothing more than the request', async () => {
      restrict();
      repository.members.add(NURSE.userId);
      await service.authorize(PATIENT, ADMIN, READ);
      await service.authorize(PATIENT, NURSE, WRITE);
      expect(audited).toEqual([]);
    });

    it('refuses a read outside the care team without a reason, noting DENIED on the audited request', async () => {
      restrict();
      const slot: AccessNoteSlot = {};
      await expect(withAccessNotes(slot, () => service.authorize(PATIENT, DOCTOR, READ))).rejects.toThrow(RestrictedRecordError);
      expect(slot.note).toEqual({ outcome: 'DENIED', reason: undefined });
      expect(audited).toEqual([]);
    });

    it('refuses a write outside the care team even with a reason or an open grant (breaking the glass opens reads only)', async () => {
      restrict();
      repository.grant = { reason: REASON, expiresAt: new Date(now.getTime() + 1000) };
      await expect(service.authorize(PATIENT, { ...DOCTOR, accessReason: REASON }, WRITE)).rejects.toThrow(RestrictedRecordWriteError);
      expect(repository.opened).toEqual([]);
    });

    it('lets only clinicians break the glass: another role with a reason is refused and opens nothing', async () => {
      restrict();
      await expect(service.authorize(PATIENT, { userId: 'b1', role: 'BILLING', accessReason: REASON }, READ)).rejects.toThrow(RestrictedRecordError);
      expect(repository.opened).toEqual([]);
    });

    it('audits a refusal itself when no audited request is in flight (a caller other than the REST routes)', async () => {
      restrict();
      await expect(service.authorize(PATIENT, DOCTOR, WRITE)).rejects.toThrow(RestrictedRecordWriteError);
      expect(audited).toEqual([
        { at: now, actorId: DOCTOR.userId, actorRole: 'DOCTOR', action: 'UPDATE', entryKind: 'notes', patientIds: [PATIENT], requestId: null, sourceIp: null, outcome: 'DENIED', reason: null },
      ]);
    });

    it.each([
      ['too short', 'urgent   '],
      ['too long', 'x'.repeat(501)],
    ])('refuses a reason %s, naming X-Access-Reason, and opens nothing', async (_, accessReason) => {
      restrict();
      await expect(service.authorize(PATIENT, { ...NURSE, accessReason }, READ)).rejects.toEqual(new AccessReasonInvalidError());
      expect(repository.opened).toEqual([]);
    });

    it('breaks the glass with a reason: an hour-long grant, the read noted EMERGENCY with the (trimmed) reason', async () => {
      restrict();
      const slot: AccessNoteSlot = {};
      await withAccessNotes(slot, () => service.authorize(PATIENT, { ...DOCTOR, accessReason: `  ${REASON} ` }, READ));
      expect(repository.opened).toEqual([{ userId: DOCTOR.userId, reason: REASON, at: now, expiresAt: new Date(now.getTime() + EMERGENCY_ACCESS_MS) }]);
      expect(slot.note).toEqual({ outcome: 'EMERGENCY', reason: REASON });
    });

    it("reads under an open grant without a header, audited EMERGENCY with the grant's reason (an entry of its own outside a request)", async () => {
      restrict();
      repository.grant = { reason: REASON, expiresAt: new Date(now.getTime() + 1000) };
      await service.authorize(PATIENT, NURSE, READ);
      expect(repository.opened).toEqual([]);
      expect(audited).toEqual([expect.objectContaining({ outcome: 'EMERGENCY', reason: REASON, action: 'READ', entryKind: 'allergies', actorId: NURSE.userId })]);
    });
  });

  describe('restriction', () => {
    it('answers an unrestricted record as such', async () => {
      await expect(service.restrictionOf(PATIENT, NURSE)).resolves.toEqual({ restricted: false });
    });

    it('shows the reason to ADMIN and the care team, not to other clinicians', async () => {
      restrict();
      repository.members.add(DOCTOR.userId);
      const withReason = { restricted: true, reason: 'Staff', restrictedBy: ADMIN.userId, restrictedAt: now };
      await expect(service.restrictionOf(PATIENT, ADMIN)).resolves.toEqual(withReason);
      await expect(service.restrictionOf(PATIENT, DOCTOR)).resolves.toEqual(withReason);
      await expect(service.restrictionOf(PATIENT, NURSE)).resolves.toEqual({ restricted: true, restrictedBy: ADMIN.userId, restrictedAt: now });
    });

    it('lets ADMIN and a DOCTOR of the care team restrict and lift; not a NURSE of it, nor another DOCTOR', async () => {
      repository.members.add(DOCTOR.userId).add(NURSE.userId);
      await expect(service.restrict(PATIENT, 'Staff', DOCTOR)).resolves.toEqual({ reason: 'Staff', restrictedBy: DOCTOR.userId, restrictedAt: now });
      await expect(service.lift(PATIENT, NURSE)).rejects.toThrow(NotTreatingDoctorError);
      await expect(service.restrict(PATIENT, 'Staff', { userId: 'other', role: 'DOCTOR' })).rejects.toThrow(NotTreatingDoctorError);
      await service.lift(PATIENT, ADMIN);
      expect(repository.restricted).toBeNull();
    });

    it('answers PatientNotFoundError for an unknown patient before anything else', async () => {
      missingPatient = true;
      await expect(service.restrict(PATIENT, 'Staff', ADMIN)).rejects.toThrow(PatientNotFoundError);
      await expect(service.restrictionOf(PATIENT, ADMIN)).rejects.toThrow(PatientNotFoundError);
      await expect(service.careTeam(PATIENT)).rejects.toThrow(PatientNotFoundError);
      await expect(service.assign(PATIENT, NURSE.userId, ADMIN.userId)).rejects.toThrow(PatientNotFoundError);
      await expect(service.unassign(PATIENT, NURSE.userId)).rejects.toThrow(PatientNotFoundError);
    });
  });

  describe('care team', () => {
    it('assigns and unassigns user ids lower-cased, and lists the team', async () => {
      await expect(service.assign(PATIENT, NURSE.userId.toUpperCase(), ADMIN.userId)).resolves.toBe(true);
      await service.unassign(PATIENT, DOCTOR.userId.toUpperCase());
      expect(repository.assigned).toEqual([NURSE.userId]);
      expect(repository.unassigned).toEqual([DOCTOR.userId]);
      repository.members.add(NURSE.userId);
      await expect(service.careTeam(PATIENT)).resolves.toEqual([expect.objectContaining({ userId: NURSE.userId, why: 'ASSIGNED' })]);
    });

    it('counts an appointment event as recorded, or stale when a later one is kept', async () => {
      const appointment = typedFake<CareTeamAppointment>({});
      await expect(service.recordAppointment(appointment)).resolves.toBe('recorded');
      repository.stale = true;
      await expect(service.recordAppointment(appointment)).resolves.toBe('stale');
    });
  });
});
