import { decodeClinicalEvent, encodeClinicalEvent } from '@pm/contracts';
import type { ClinicalEntry } from './clinical-entry';
import type { ClinicalKind } from './clinical-kinds';
import { visitDocumentedEvents } from './visit-documented';

describe('visitDocumentedEvents', () => {
  const recordedAt = new Date('2026-12-03T09:30:00Z');
  const entry = (kind: ClinicalKind, details: Record<string, unknown>): ClinicalEntry => ({
    id: '0b0f7a53-4a43-4c5e-9d43-0c6d1a2b3c4d',
    patientId: '6f1c2d3e-4b5a-4978-8a9b-0c1d2e3f4a5b',
    kind,
    status: 'final',
    code: null,
    effectiveAt: recordedAt,
    details,
    version: 1,
    recordedBy: 'doctor',
    recordedAt,
    updatedBy: 'doctor',
    updatedAt: recordedAt,
    enteredInError: null,
  });

  it('makes one VISIT_DOCUMENTED event of a note on an appointment: ids and the time, no text', () => {
    const note = entry('notes', { text: 'Seen for chest pain radiating to the left arm', appointmentId: 'A1B2C3D4-E5F6-4789-8ABC-DEF012345678' });
    const [event, ...others] = visitDocumentedEvents(note);
    expect(others).toEqual([]);
    expect(event).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      event_type: 'VISIT_DOCUMENTED',
      appointment_id: 'a1b2c3d4-e5f6-4789-8abc-def012345678',
      patient_id: note.patientId,
      note_id: note.id,
      occurred_at: recordedAt.getTime(),
    });
    expect(encodeClinicalEvent(event).toString('latin1')).not.toContain('chest pain');
    expect(decodeClinicalEvent(encodeClinicalEvent(event))).toEqual(event);
  });

  it('gives each event its own id', () => {
    const note = entry('notes', { text: 'Follow-up', appointmentId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' });
    expect(visitDocumentedEvents(note)[0].event_id).not.toBe(visitDocumentedEvents(note)[0].event_id);
  });

  it.each([
    ['a note without an appointment', entry('notes', { text: 'Phone call, no visit' })],
    ['an entry of another kind that somehow names one', entry('allergies', { substance: { text: 'Latex' }, appointmentId: 'a1b2c3d4-e5f6-4789-8abc-def012345678' })],
  ])('makes none for %s', (_name, other) => {
    expect(visitDocumentedEvents(other)).toEqual([]);
  });
});
