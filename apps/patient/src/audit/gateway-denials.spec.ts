import type { AuditDenialEvent } from '@pm/contracts';
import { denialEntry, denialProblem } from './gateway-denials.consumer';

const event = (overrides: Partial<AuditDenialEvent> = {}): AuditDenialEvent => ({
  event_id: '3f0c2a4e-8b1d-4c55-9a7e-2d6f1b0c9e11',
  occurred_at: 1_700_000_000_000,
  actor_id: 'analyst-1',
  actor_role: 'ANALYST',
  action: 'LIST',
  patient_id: '9b2d1c3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e',
  request_id: 'r-1',
  source_ip: '127.0.0.9',
  status: 403,
  entry_kind: '',
  ...overrides,
});

describe('refusals the gateway decided', () => {
  it.each(['', 'allergies', 'conditions', 'medications', 'vitals', 'notes', 'record', 'restriction', 'care-team'])('accept the entry kind %p', (entryKind) => {
    expect(denialProblem(event({ entry_kind: entryKind }))).toBeUndefined();
  });

  it('refuse an entry kind the record does not have, naming the field', () => {
    expect(denialProblem(event({ entry_kind: 'x-rays' }))).toEqual({ field: 'entry_kind', message: 'entry_kind is not a kind of clinical entry' });
  });

  it('keep the entry kind in the audit entry, and none for the patient record itself', () => {
    expect(denialEntry(event({ entry_kind: 'allergies' }))).toMatchObject({ action: 'LIST', entryKind: 'allergies', outcome: 'DENIED' });
    expect(denialEntry(event())).toMatchObject({ entryKind: null });
  });
});
