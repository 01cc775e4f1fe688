import { InvalidAccessTokenError } from './access-token.errors';
import { ACCESS_TOKEN_ALGORITHM, claimsFromPayload, pinnedVerifyOptions } from './access-token-policy';

describe('access-token policy', () => {
  const payload = { sub: 'user-1', jti: 'token-1', iat: 1000, exp: 1900, role: 'DOCTOR', email: 'd@test.com', sid: 'session-1' };

  it('pins ES256, the issuer and the audience, and never ignores expiry', () => {
    expect(pinnedVerifyOptions({ JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' })).toEqual({
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: 'iss',
      audience: 'aud',
      ignoreExpiration: false,
    });
    expect(ACCESS_TOKEN_ALGORITHM).toBe('ES256');
  });

  it('maps the claims of a complete payload', () => {
    expect(claimsFromPayload(payload)).toEqual({
      userId: 'user-1',
      email: 'd@test.com',
      role: 'DOCTOR',
      tokenId: 'token-1',
      sessionId: 'session-1',
      issuedAt: 1000,
      expiresAt: 1900,
    });
    const { sid: _sid, email: _email, ...minimal } = payload;
    expect(claimsFromPayload(minimal)).toMatchObject({ email: '', sessionId: undefined });
  });

  it.each([
    ['no sub', { sub: undefined }],
    ['an empty sub', { sub: '' }],
    ['no jti', { jti: undefined }],
    ['no exp', { exp: undefined }],
    ['a text exp', { exp: '1900' }],
    ['no iat', { iat: undefined }],
    ['no role', { role: undefined }],
    ['an unknown role', { role: 'ROOT' }],
    ['a lower-case role', { role: 'admin' }],
  ])('refuses a payload with %s', (_case, change) => {
    expect(() => claimsFromPayload({ ...payload, ...change } as never)).toThrow(InvalidAccessTokenError);
  });
});
