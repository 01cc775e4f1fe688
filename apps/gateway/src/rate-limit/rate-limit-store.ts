import type { RateLimitSubject } from './rate-limit-policy';

/** One request counted against a subject. */
export interface ConsumedPoints {
  /** Requests counted in this window, this one included. */
  consumed: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/** The counters could not be reached (Redis down or slow). */
export class RateLimitStoreUnavailableError extends Error {}

/** Where the request counters live; the one place rate limiting does I/O. */
export interface RateLimitStore {
  /** Counts one request; throws RateLimitStoreUnavailableError when the counters cannot be reached. */
  consume(subject: RateLimitSubject): Promise<ConsumedPoints>;
}
