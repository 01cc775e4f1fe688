import type { AccessTokenClaims } from '@pm/auth-tokens';
import { isIP } from 'node:net';

/** Who a request is counted against: the token's user when verified, else the client address. */
export type RateLimitSubject = { kind: 'user'; key: string } | { kind: 'address'; key: string };

export function rateLimitSubject(verified: AccessTokenClaims | undefined, clientAddress: string | undefined): RateLimitSubject {
  if (verified) return { kind: 'user', key: verified.userId };
  return { kind: 'address', key: addressKey(clientAddress) };
}

/**
 * The counter key of a client address. An IPv4-mapped IPv6 address counts as its IPv4 address; an
 * IPv6 address counts by its /64, since one client can pick any address in its subnet.
 */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head, tail = ''] = address.split('%')[0].toLowerCase().split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  return [...headParts, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailParts].map((part) => part.replace(/^0+(?=.)/, ''));
}

/** A subject's counter after one request was counted. */
export interface RateLimitState {
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in this window (never negative). */
  remaining: number;
  /** Milliseconds until the window (and the counter) resets. */
  resetInMs: number;
  windowSeconds: number;
}

/** Whole seconds until the reset, rounded up so a client that waits that long is let in. */
export function secondsUntilReset(state: Pick<RateLimitState, 'resetInMs'>): number {
  return Math.max(1, Math.ceil(state.resetInMs / 1000));
}

/** The IETF draft's RateLimit-* fields (draft-ietf-httpapi-ratelimit-headers), on every limited answer. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(Math.max(0, state.remaining)),
    'RateLimit-Reset': String(secondsUntilReset(state)),
    'RateLimit-Policy': `${state.limit};w=${state.windowSeconds}`,
  };
}
