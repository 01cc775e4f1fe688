import type { IncomingMessage } from 'node:http';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';
import { safeErrorSummary } from './safe-error-summary';

describe('safeErrorSummary', () => {
  it("keeps an error's type, message, code and stack, and drops every other property", () => {
    class QueryFailedError extends Error {
      override name = 'QueryFailedError';
    }
    const error = Object.assign(new QueryFailedError('duplicate key value violates unique constraint'), {
      code: '23505',
      parameters: ['Jane Roe', 'jane@example.com'],
      detail: 'Key (email)=(jane@example.com) already exists.',
      driverError: { detail: 'Key (email)=(jane@example.com) already exists.' },
    });
    const summary = safeErrorSummary(error);
    expect(summary).toEqual({ type: 'QueryFailedError', message: 'duplicate key value violates unique constraint', code: '23505', stack: error.stack });
    expect(JSON.stringify(summary)).not.toContain('jane@example.com');
  });

  it('leaves out a code the error does not have', () => {
    expect(Object.keys(safeErrorSummary(new TypeError('x')))).toEqual(['type', 'message', 'stack']);
  });

  it('says only the type of something thrown that is not an Error', () => {
    expect(safeErrorSummary('Jane Roe')).toEqual({ type: 'string' });
    expect(safeErrorSummary({ name: 'Jane Roe' })).toEqual({ type: 'object' });
    expect(safeErrorSummary(undefined)).toEqual({ type: 'undefined' });
  });
});

describe('requestIdFrom', () => {
  const request = (value?: string | string[]) => ({ headers: value === undefined ? {} : { [REQUEST_ID_HEADER]: value } }) as IncomingMessage;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("keeps a caller's short, plain id", () => {
    expect(requestIdFrom(request('gw-1.2:3_x-Y'))).toBe('gw-1.2:3_x-Y');
    expect(requestIdFrom(request(['first', 'second']))).toBe('first');
    expect(requestIdFrom(request('a'.repeat(128)))).toBe('a'.repeat(128));
  });

  it('replaces a missing, long or unsafe id with a new UUID', () => {
    for (const value of [undefined, '', 'a'.repeat(129), 'id with spaces', 'id\nforged line', '{"json":1}']) {
      expect(requestIdFrom(request(value))).toMatch(UUID);
    }
  });
});
