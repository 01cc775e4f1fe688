import { ProblemException } from '@pm/problem';
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
