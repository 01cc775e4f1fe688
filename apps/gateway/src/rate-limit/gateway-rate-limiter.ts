import type { GatewayConfig } from '../config/gateway.config';
import { rateLimitHeaders, secondsUntilReset, type RateLimitState, type RateLimitSubject } from './rate-limit-policy';
import { RateLimitStoreUnavailableError, type RateLimitStore } from './rate-limit-store';
import { ThrottledWarning } from './throttled-warning';

export type RateLimitConfig = Pick<
  GatewayConfig,
  'RATE_LIMIT_AUTHENTICATED_POINTS' | 'RATE_LIMIT_ANONYMOUS_POINTS' | 'RATE_LIMIT_WINDOW_SECONDS'
>;

export type RateLimitVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; detail: string };

/** What the limiter tells operators: a Redis outage (throttled) and the counter of unlimited requests. */
export interface RateLimitReporter {
  storeUnavailable(details: { requestId: string; error: string; suppressedSince: number }): void;
  countUnavailable(): void;
  countRejected(subject: RateLimitSubject['kind']): void;
}

/** How often a Redis outage is logged while it lasts. */
export const UNAVAILABLE_WARNING_INTERVAL_MS = 30_000;

/**
 * The rate-limit rules: a verified user gets RATE_LIMIT_AUTHENTICATED_POINTS requests per window,
 * a client address without a verified token RATE_LIMIT_ANONYMOUS_POINTS. Past that: refused with
 * Retry-After. When the counters cannot be reached the request passes (availability over limits).
 */
export class GatewayRateLimiter {
  private readonly warning: ThrottledWarning;

  constructor(
    private readonly store: RateLimitStore,
    private readonly config: RateLimitConfig,
    private readonly reporter: RateLimitReporter,
    now: () => number = Date.now,
  ) {
    this.warning = new ThrottledWarning(UNAVAILABLE_WARNING_INTERVAL_MS, now);
  }

  limitFor(subject: RateLimitSubject): number {
    return subject.kind === 'user' ? this.config.RATE_LIMIT_AUTHENTICATED_POINTS : this.config.RATE_LIMIT_ANONYMOUS_POINTS;
  }

  async check(subject: RateLimitSubject, requestId: string): Promise<RateLimitVerdict> {
    let consumed: number;
    let resetInMs: number;
    try {
      ({ consumed, resetInMs } = await this.store.consume(subject));
    } catch (error) {
      if (!(error instanceof RateLimitStoreUnavailableError)) throw error;
      this.reporter.countUnavailable();
      const logNow = this.warning.take();
      if (logNow) this.reporter.storeUnavailable({ requestId, error: error.message, ...logNow });
      return { allowed: true, headers: {} };
    }
    const limit = this.limitFor(subject);
    const state: RateLimitState = { limit, remaining: limit - consumed, resetInMs, windowSeconds: this.config.RATE_LIMIT_WINDOW_SECONDS };
    const headers = rateLimitHeaders(state);
    if (consumed <= limit) return { allowed: true, headers };
    this.reporter.countRejected(subject.kind);
    const retryAfter = secondsUntilReset(state);
    const who = subject.kind === 'user' ? 'this user' : 'this client address';
    return {
      allowed: false,
      headers: { ...headers, 'Retry-After': String(retryAfter) },
      detail: `Too many requests from ${who}: ${limit} per ${this.config.RATE_LIMIT_WINDOW_SECONDS} s; try again in ${retryAfter} s`,
    };
  }
}
