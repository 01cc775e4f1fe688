import { ProblemException } from '@pm/platform';
import { confirmDuplicate, idempotencyKey, registrationRequest, requestFingerprint } from './registration-request';

describe('idempotencyKey', () => {
  it('passes a key through and an absent one as undefined', () => {
    expect(idempotencyKey('3f1c-retry_1')).toBe('3f1c-retry_1');
    expect(idempotencyKey(undefined)).toBeUndefined();
  });

  it.each(['', 'with space', 'x'.repeat(256), 'ünicode'])('answers 400 naming the header for %p', (key) => {
    let thrown: unknown;
    try {
      idempotencyKey(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).getStatus()).toBe(400);
    expect((thrown as ProblemException).getResponse()).toMatchObject({ errors: { 'Idempotency-Key': expect.any(String) } });
  });
});

describe('requestFingerprint', () => {
  const details = { name: 'A', email: 'a@x.org', address: 'B', dateOfBirth: '2000-01-01', registeredDate: '2024-01-01' };

  it('is stable for the same details and differs when any field differs', () => {
    expect(requestFingerprint({ ...details })).toBe(requestFingerprint(details));
    expect(requestFingerprint({ ...details, address: 'C' })).not.toBe(requestFingerprint(details));
    // Field boundaries count: moving a character between fields is another request.
    expect(requestFingerprint({ ...details, name: 'AB', address: '' })).not.toBe(requestFingerprint({ ...details, name: 'A', address: 'B' }));
  });
});

describe('confirmDuplicate', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
  ])('reads %p as %p', (value, expected) => {
    expect(confirmDuplicate(value)).toBe(expected);
  });

  it.each(['yes', 'TRUE', '1', ['true', 'true']])('answers 400 naming the parameter for %p', (value) => {
    expect(() => confirmDuplicate(value)).toThrow(ProblemException);
    try {
      confirmDuplicate(value);
    } catch (error) {
      expect((error as ProblemException).getResponse()).toMatchObject({ status: 400, errors: { confirmDuplicate: 'confirmDuplicate must be true or false' } });
    }
  });
});

describe('registrationRequest', () => {
  const body = { name: 'A', email: 'a@x.org', address: 'B', dateOfBirth: '2000-01-01', registeredDate: '2024-01-01' };

  it('takes the details from the body, the key from the header and the choice from the query', () => {
    const withExtra = { ...body, extra: 'not a detail' };
    expect(registrationRequest(withExtra, { idempotencyKey: 'k-1', confirmDuplicate: 'true' })).toEqual({
      details: body,
      idempotencyKey: 'k-1',
      confirmDuplicate: true,
    });
    expect(registrationRequest(body, { idempotencyKey: undefined, confirmDuplicate: undefined })).toEqual({
      details: body,
      idempotencyKey: undefined,
      confirmDuplicate: false,
    });
  });

  it('names a bad Idempotency-Key before a bad confirmDuplicate, as the route always did', () => {
    const errorsOf = (options: { idempotencyKey: string; confirmDuplicate: string }) => {
      try {
        registrationRequest(body, options);
      } catch (error) {
        return ((error as ProblemException).getResponse() as { errors: Record<string, string> }).errors;
      }
      throw new Error('expected the request to be refused');
    };
    expect(Object.keys(errorsOf({ idempotencyKey: 'with space', confirmDuplicate: 'maybe' }))).toEqual(['Idempotency-Key']);
    expect(Object.keys(errorsOf({ idempotencyKey: 'ok', confirmDuplicate: 'maybe' }))).toEqual(['confirmDuplicate']);
  });
});
