import { Logger } from '@nestjs/common';
import type { ClinicalEvent } from '@pm/contracts';
import type { DocumentationState, VisitDocumentationRepository } from './visit-documentation.repository';
import { VisitDocumentationService } from './visit-documentation.service';

const PATIENT = '123e4567-e89b-12d3-a456-426614174000';
const OTHER_PATIENT = '223e4567-e89b-12d3-a456-426614174000';
const APPOINTMENT = 'a1b2c3d4-e5f6-4789-8abc-def012345678';

/** Appointments in memory, with the conditional update's rule. */
class FakeAppointments implements Pick<VisitDocumentationRepository, 'markDocumented' | 'find'> {
  readonly stored = new Map<string, DocumentationState>();

  async markDocumented(appointmentId: string, patientId: string, at: Date): Promise<boolean> {
    const current = this.stored.get(appointmentId);
    if (!current || current.patientId !== patientId || current.documentedAt) return false;
    this.stored.set(appointmentId, { patientId, documentedAt: at });
    return true;
  }

  async find(appointmentId: string): Promise<DocumentationState | null> {
    return this.stored.get(appointmentId) ?? null;
  }
}

describe('VisitDocumentationService', () => {
  let appointments: FakeAppointments;
  let service: VisitDocumentationService;
  let warnings: unknown[][];

  const event = (overrides: Partial<ClinicalEvent> = {}): ClinicalEvent => ({
    event_id: '5b1f0c0e-2d4a-4c7e-9f3b-1a2b3c4d5e6f',
    event_type: 'VISIT_DOCUMENTED',
    appointment_id: APPOINTMENT,
    patient_id: PATIENT,
    note_id: '0b0f7a53-4a43-4c5e-9d43-0c6d1a2b3c4d',
    occurred_at: Date.parse('2026-12-03T10:00:00Z'),
    ...overrides,
  });

  beforeEach(() => {
    appointments = new FakeAppointments();
    appointments.stored.set(APPOINTMENT, { patientId: PATIENT, documentedAt: null });
    service = new VisitDocumentationService(appointments as unknown as VisitDocumentationRepository);
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
  });

  afterEach(() => jest.restoreAllMocks());

  it("marks the patient's appointment documented at the time the note was recorded", async () => {
    await expect(service.apply(event())).resolves.toBe('documented');
    expect(appointments.stored.get(APPOINTMENT)?.documentedAt).toEqual(new Date('2026-12-03T10:00:00Z'));
    expect(warnings).toEqual([]);
  });

  it('matches ids whatever their case', async () => {
    await expect(service.apply(event({ appointment_id: APPOINTMENT.toUpperCase(), patient_id: PATIENT.toUpperCase() }))).resolves.toBe('documented');
  });

  it('uses the time of arrival for an event without one', async () => {
    const before = Date.now();
    await expect(service.apply(event({ occurred_at: 0 }))).resolves.toBe('documented');
    expect(appointments.stored.get(APPOINTMENT)?.documentedAt?.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('changes nothing on a redelivery or a second note: the first note keeps its time', async () => {
    await service.apply(event());
    await expect(service.apply(event({ occurred_at: Date.parse('2026-12-04T08:00:00Z') }))).resolves.toBe('unchanged');
    expect(appointments.stored.get(APPOINTMENT)?.documentedAt).toEqual(new Date('2026-12-03T10:00:00Z'));
    expect(warnings).toEqual([]);
  });

  it.each([
    ["another patient's appointment", { patient_id: OTHER_PATIENT }, "another patient's appointment"],
    ['an unknown appointment', { appointment_id: 'b1b2c3d4-e5f6-4789-8abc-def012345678' }, 'no such appointment'],
  ])('ignores a note on %s and logs why without the patient id', async (_name, overrides, reason) => {
    await expect(service.apply(event(overrides))).resolves.toBe('ignored');
    expect(appointments.stored.get(APPOINTMENT)?.documentedAt).toBeNull();
    expect(warnings).toEqual([[expect.objectContaining({ reason, eventId: event().event_id }), expect.any(String)]]);
    expect(JSON.stringify(warnings)).not.toContain(PATIENT);
    expect(JSON.stringify(warnings)).not.toContain(OTHER_PATIENT);
  });
});
