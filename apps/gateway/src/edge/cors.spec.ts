import { CORS_ALLOWED_HEADERS, corsDecision } from './cors';

describe('corsDecision', () => {
  const allowed = ['https://app.example.com', 'http://localhost:3000'];

  it('adds nothing to a request without an Origin (not a browser cross-origin call)', () => {
    expect(corsDecision({ method: 'GET' }, allowed)).toEqual({ kind: 'none' });
    expect(corsDecision({ method: 'OPTIONS', requestedMethod: 'GET' }, allowed)).toEqual({ kind: 'none' });
  });

  it('answers an allowed origin with its own origin (never *), the readable headers and Vary', () => {
    const decision = corsDecision({ method: 'GET', origin: 'https://app.example.com' }, allowed);
    expect(decision).toMatchObject({ kind: 'allowed', headers: { 'Access-Control-Allow-Origin': 'https://app.example.com', Vary: 'Origin' } });
    const exposed = (decision as { headers: Record<string, string> }).headers['Access-Control-Expose-Headers'];
    expect(exposed).toEqual(expect.stringContaining('RateLimit-Remaining'));
    expect(exposed).toEqual(expect.stringContaining('Retry-After'));
    expect(exposed).toEqual(expect.stringContaining('Location'));
  });

  it.each(['https://evil.example.com', 'https://app.example.com.evil.net', 'http://app.example.com', 'null'])(
    'gives the origin %p no CORS headers',
    (origin) => {
      expect(corsDecision({ method: 'POST', origin }, allowed)).toEqual({ kind: 'not-allowed' });
    },
  );

  it('allows nothing with an empty list', () => {
    expect(corsDecision({ method: 'GET', origin: 'https://app.example.com' }, [])).toEqual({ kind: 'not-allowed' });
  });

  it('answers an allowed preflight with methods, headers and a max age', () => {
    const decision = corsDecision({ method: 'OPTIONS', origin: 'http://localhost:3000', requestedMethod: 'delete' }, allowed);
    expect(decision).toEqual({
      kind: 'preflight-allowed',
      headers: expect.objectContaining({
        'Access-Control-Allow-Origin': 'http://localhost:3000',
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(', '),
        'Access-Control-Max-Age': '600',
      }),
    });
    expect(CORS_ALLOWED_HEADERS).toEqual(expect.arrayContaining(['Authorization', 'Content-Type', 'If-Match', 'X-Access-Reason']));
  });

  it('refuses a preflight from another origin or for another method', () => {
    expect(corsDecision({ method: 'OPTIONS', origin: 'https://evil.example.com', requestedMethod: 'GET' }, allowed)).toEqual({
      kind: 'preflight-refused',
      reason: 'The origin https://evil.example.com may not call this API',
    });
    expect(corsDecision({ method: 'OPTIONS', origin: 'https://app.example.com', requestedMethod: 'TRACE' }, allowed)).toMatchObject({
      kind: 'preflight-refused',
    });
  });
});
