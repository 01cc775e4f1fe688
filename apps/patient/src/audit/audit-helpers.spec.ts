import { refusedAction } from './audit-denials';
import { patientIdsOf } from './audited';
import { parseAuditQuery } from './dto/audit-query';

const id = '123e4567-e89b-12d3-a456-426614174000';
const other = '223e4567-e89b-12d3-a456-426614174000';

describe('patientIdsOf', () => {
  it('takes the listed patients, else the returned one, else the path id', () => {
    expect(patientIdsOf({ patients: [{ id }, { id: other }] }, { id: undefined })).toEqual([id, other]);
    expect(patientIdsOf({ id }, {})).toEqual([id]);
    expect(patientIdsOf(undefined, { id })).toEqual([id]);
  });

  it('names no patient for an id that is not a UUID', () => {
    expect(patientIdsOf(undefined, { id: 'not-a-uuid' })).toEqual([]);
    expect(patientIdsOf(undefined, {})).toEqual([]);
  });
});

describe('refusedAction', () => {
  it('maps the patient routes to actions and ignores the others', () => {
    expect(refusedAction('get', '/patients')).toBe('LIST');
    expect(refusedAction('GET', '/patients/:id')).toBe('READ');
    expect(refusedAction('POST', '/patients')).toBe('CREATE');
    expect(refusedAction('PUT', '/patients/:id')).toBe('UPDATE');
    expect(refusedAction('DELETE', '/patients/:id')).toBe('DELETE');
    expect(refusedAction('POST', '/patients/:id/restore')).toBe('RESTORE');
    expect(refusedAction('GET', '/audit')).toBeUndefined();
    expect(refusedAction('GET', undefined)).toBeUndefined();
  });
});

describe('parseAuditQuery', () => {
  it('defaults to the first page of 20 without filters', () => {
    expect(parseAuditQuery({})).toMatchObject({ page: 1, size: 20, patientId: undefined, from: undefined });
  });

  it('reads every filter', () => {
    const query = parseAuditQuery({
      patientId: id.toUpperCase(),
      actorId: 'user-1',
      action: 'RESTORE',
      outcome: 'DENIED',
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-02T00:00:00+02:00',
      page: '3',
      size: '50',
    });
    expect(query).toEqual({
      patientId: id,
      actorId: 'user-1',
      action: 'RESTORE',
      outcome: 'DENIED',
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-01-01T22:00:00Z'),
      page: 3,
      size: 50,
    });
  });

  it('answers 400 naming each bad or repeated parameter', () => {
    let thrown: { getResponse(): { errors: Record<string, string> } } | undefined;
    try {
      parseAuditQuery({ patientId: 'x', action: ['READ', 'LIST'], from: '2026-01-01', page: '0', size: '101' });
    } catch (error) {
      thrown = error as typeof thrown;
    }
    expect(Object.keys(thrown!.getResponse().errors).sort()).toEqual(['action', 'from', 'page', 'patientId', 'size']);
    expect(thrown!.getResponse().errors.action).toBe('action must be given once');
  });
});
