import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** The count of one key in its current window. */
export interface FailureWindow {
  count: number;
  msUntilReset: number;
}

/** Counts attempts per key in fixed windows (Redis in production); throws when the store cannot answer. */
export interface FailureCounter {
  /** Adds one attempt and answers the count including it. */
  add(key: string): Promise<FailureWindow>;
  /** Takes one attempt back (it succeeded, so it was no failure). */
  takeBack(key: string): Promise<void>;
  /** Forgets the key's attempts. */
  reset(key: string): Promise<void>;
}

export interface LoginThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
}

export interface LoginThrottleEvents {
  /** The counters could not be reached: the login goes ahead unthrottled. */
  unavailable(): void;
}

export type LoginAttempt =
  | { throttled: true; retryAfterSeconds: number }
  | { throttled: false; accountKey: string; ipKey: string; counted: boolean };

/** The counter key of an account: a hash, so no email address is stored in Redis. */
export function accountKey(normalizedEmail: string): string {
  return createHash('sha256').update(normalizedEmail).digest('base64url');
}

/**
 * Throttles failed logins per account (email) and per client IP. Every attempt is counted before
 * the password is checked, atomically, so parallel guesses cannot slip past the limit; a success
 * resets the account and takes its IP attempt back, so the counts are of failures. Past either
 * limit the attempt is refused before any password check until the window ends.
 *
 * If the counters are unreachable, logins go ahead (fail open, with a warning and a metric): an
 * outage of Redis must not lock every user out, and the password check itself is unchanged.
 */
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly accounts: FailureCounter,
    private readonly ips: FailureCounter,
    private readonly events: LoginThrottleEvents,
  ) {}

  async attempt(normalizedEmail: string, ip: string): Promise<LoginAttempt> {
    const keys = { accountKey: accountKey(normalizedEmail), ipKey: ip };
    let account: FailureWindow;
    let client: FailureWindow;
    try {
      [account, client] = await Promise.all([this.accounts.add(keys.accountKey), this.ips.add(keys.ipKey)]);
    } catch (error) {
      this.events.unavailable();
      this.logger.warn({ reason: (error as Error).message }, 'Login throttling is unavailable: letting the login through unthrottled');
      return { throttled: false, ...keys, counted: false };
    }
    const exceeded = [
      ...(account.count > this.limits.maxFailuresPerAccount ? [account] : []),
      ...(client.count > this.limits.maxFailuresPerIp ? [client] : []),
    ];
    if (exceeded.length > 0) {
      const longestWaitMs = Math.max(...exceeded.map((window) => window.msUntilReset));
      return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil(longestWaitMs / 1000)) };
    }
    return { throttled: false, ...keys, counted: true };
  }

  /** The attempt's password was right: forget the account's failures and take the IP's attempt back. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    if (attempt.throttled || !attempt.counted) return;
    try {
      await Promise.all([this.accounts.reset(attempt.accountKey), this.ips.takeBack(attempt.ipKey)]);
    } catch (error) {
      this.events.unavailable();
      this.logger.warn({ reason: (error as Error).message }, 'Could not reset the failed-login counters');
    }
  }
}
