import { responseFields } from './response-fields';

describe('responseFields', () => {
  const record = { id: 'a1', secret: 'not on the wire', at: new Date('2026-01-02T03:04:05.000Z'), deletedAt: null as Date | null, count: 0 };

  it('copies only the named fields, in the order named, dates as ISO-8601 text', () => {
    const fields = responseFields(record, ['at', 'id', 'deletedAt', 'count']);
    expect(fields).toEqual({ at: '2026-01-02T03:04:05.000Z', id: 'a1', deletedAt: null, count: 0 });
    expect(Object.keys(fields)).toEqual(['at', 'id', 'deletedAt', 'count']);
    expect(fields).not.toHaveProperty('secret');
  });
});
