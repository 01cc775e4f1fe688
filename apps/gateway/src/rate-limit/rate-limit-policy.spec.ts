import type { AccessTokenClaims } from '@pm/auth-tokens';
import { addressKey, rateLimitHeaders, rateLimitSubject, secondsUntilReset } from './rate-limit-policy';

describe('rate-limit policy', () => {
  const claims: AccessTokenClaims = { userId: 'u-42', email: 'a@b.c', role: 'NURSE', tokenId: 't', issuedAt: 1, expiresAt: 2 };

  it('counts a verified request against its user, whatever address it comes from', () => {
    expect(rateLimitSubject(claims, '10.0.0.1')).toEqual({ kind: 'user', key: 'u-42' });
  });

  it('counts a request without verified claims against its address', () => {
    expect(rateLimitSubject(undefined, '203.0.113.9')).toEqual({ kind: 'address', key: '203.0.113.9' });
  });

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('keys the address %p as %p', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  it('gives the IETF RateLimit-* fields with the reset rounded up to whole seconds', () => {
    expect(rateLimitHeaders({ limit: 300, remaining: 297, resetInMs: 41_200, windowSeconds: 60 })).toEqual({
      'RateLimit-Limit': '300',
      'RateLimit-Remaining': '297',
      'RateLimit-Reset': '42',
      'RateLimit-Policy': '300;w=60',
    });
  });

  it('never reports a negative remainder or a reset under one second', () => {
    const headers = rateLimitHeaders({ limit: 5, remaining: -3, resetInMs: 10, windowSeconds: 60 });
    expect(headers['RateLimit-Remaining']).toBe('0');
    expect(headers['RateLimit-Reset']).toBe('1');
    expect(secondsUntilReset({ resetInMs: 0 })).toBe(1);
    expect(secondsUntilReset({ resetInMs: 1001 })).toBe(2);
  });
});
