import { AccessDenial, AccessDenialListener, AccessTokenClaims, AccessTokenGuard } from '@pm/auth-tokens';
import { typedFake } from '@pm/testing';
import type { Request } from 'express';
import { NewAuditEntry } from './audit-entry.entity';
import { AuditDenials } from './audit-denials';
import { AuditTrail } from './audit-trail';

describe('AuditDenials', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  let recorded: NewAuditEntry[];
  let refuseWrites: boolean;
  let listener: AccessDenialListener;

  beforeEach(() => {
    recorded = [];
    refuseWrites = false;
    const guard = typedFake<AccessTokenGuard>({ onDenied: (registered: AccessDenialListener) => void (listener = registered) });
    const trail = typedFake<AuditTrail>({
      record: async (entry: NewAuditEntry) => {
        if (refuseWrites) throw new Error('database away');
        recorded.push(entry);
      },
    });
    new AuditDenials(guard, trail).onModuleInit();
  });

  const denial = (request: Partial<Request>, status: 401 | 403 = 401): AccessDenial => ({ status, request: typedFake<Request>({ method: 'GET', id: 'req-1', ...request }) });

  it('records a refusal without a token, route params or client address as DENIED with nulls', async () => {
    await listener(denial({ route: { path: '/patients' } }));
    expect(recorded).toEqual([
      expect.objectContaining({ action: 'LIST', actorId: null, actorRole: null, patientIds: [], requestId: 'req-1', sourceIp: null, outcome: 'DENIED' }),
    ]);
  });

  it('names the patient and the caller of a refused read', async () => {
    await listener({ ...denial({ route: { path: '/patients/:id' }, params: { id: patientId }, ip: '10.0.0.2' }, 403), claims: typedFake<AccessTokenClaims>({ userId: 'u-1', role: 'BILLING' }) });
    expect(recorded).toEqual([expect.objectContaining({ action: 'READ', actorId: 'u-1', actorRole: 'BILLING', patientIds: [patientId], sourceIp: '10.0.0.2' })]);
  });

  it('records nothing for a refusal outside the patient records', async () => {
    await listener(denial({ route: { path: '/audit' } }));
    await listener(denial({}));
    expect(recorded).toEqual([]);
  });

  it('still lets the refusal answer when its entry cannot be written', async () => {
    refuseWrites = true;
    await expect(listener(denial({ route: { path: '/patients' } }))).resolves.toBeUndefined();
  });
});
