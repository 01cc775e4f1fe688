import { upstreamFailure } from './upstream-failure';

const errorWithCode = (code: string) => Object.assign(new Error(code), { code });

describe('upstreamFailure', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH'])('answers %s with 503 naming the service', (code) => {
    expect(upstreamFailure('patient', errorWithCode(code))).toEqual({ status: 503, detail: 'The patient service is unavailable' });
  });

  it('answers a silent service with 504, even though its socket was reset', () => {
    expect(upstreamFailure('billing', errorWithCode('ECONNRESET'), 500)).toEqual({
      status: 504,
      detail: 'The billing service did not answer within 500 ms',
    });
  });

  it('answers a malformed response with 502', () => {
    expect(upstreamFailure('auth', errorWithCode('HPE_INVALID_CONSTANT')).status).toBe(502);
  });
});
