import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** What a counter holds for one key: a count and how long it lives on. */
export interface CounterState {
  count: number;
  msLeft: number;
}

/**
 * Counts per key in fixed windows (Redis in production, an in-memory stand-in per instance while
 * Redis is down). Every method may throw when no store can answer.
 */
export interface ThrottleCounter {
  get(key: string): Promise<CounterState | null>;
  /** Adds one and answers the count including it. */
  add(key: string): Promise<CounterState>;
  /** Takes one back (the attempt it counted was no failure). */
  takeBack(key: string): Promise<void>;
  /** Holds the key for `seconds`, whatever it held. */
  block(key: string, seconds: number): Promise<void>;
  /** Forgets the key; true when it was there. */
  delete(key: string): Promise<boolean>;
  /** Every key it holds now. */
  list(): Promise<Array<CounterState & { key: string }>>;
}

export interface ThrottleCounters {
  /** Consecutive failures of one account from one address (key: the pair). */
  pairFailures: ThrottleCounter;
  /** The pairs blocked now (key: the pair). */
  pairBlocks: ThrottleCounter;
  /** Failures from one address over all accounts, per day (key: the address). */
  addressFailures: ThrottleCounter;
  /** Failures of one account from all addresses (key: the account). */
  accountFailures: ThrottleCounter;
}

export interface LoginThrottleLimits {
  pairMaxConsecutiveFailures: number;
  pairFirstBlockSeconds: number;
  pairMaxBlockSeconds: number;
  addressMaxFailures: number;
  accountFreeFailures: number;
  accountFirstDelayMs: number;
  accountMaxDelayMs: number;
}

export interface LoginThrottleEvents {
  /** No store could answer: the login goes ahead unthrottled. */
  unavailable(): void;
}

/** Refused before the password is checked (429): for the pair, or for the address. */
export type LoginVerdict =
  | { refused: true; kind: 'pair' | 'address'; retryAfterSeconds: number }
  | { refused: false; delayMs: number };

export type ThrottleKind = 'pair' | 'address' | 'account';

/** One current throttle as ADMIN sees it; `key` is what `clear` takes back. */
export interface Throttle {
  kind: ThrottleKind;
  key: string;
  /** The account: a user id, or `unknown-<hash>` for an email no user has. */
  account?: string;
  address?: string;
  failures: number;
  /** Pair and address: seconds until logins are accepted again. Account: seconds until its failures are forgotten. */
  remainingSeconds: number;
  /** Account only: how long each login to it waits now before its password is checked. */
  delaySeconds?: number;
}

/** The account an email names when no user has it: a hash, so no email address is stored in Redis. */
export function unknownAccount(normalizedEmail: string): string {
  return `unknown-${createHash('sha256').update(normalizedEmail).digest('base64url')}`;
}

// Accounts are user ids or `unknown-<base64url>`: never a ":", so a pair splits at its first one.
const pairKey = (account: string, address: string) => `${account}:${address}`;
const ceilSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Login throttling after rate-limiter-flexible's "login endpoint protection" pattern:
 * - one account from one address (a pair): after `pairMaxConsecutiveFailures` consecutive
 *   failures the pair is refused (429) for `pairFirstBlockSeconds`, doubling with each further
 *   failure up to `pairMaxBlockSeconds`; a success resets it. A colleague behind the same NAT, or
 *   the account's owner elsewhere, is not affected.
 * - one address over all accounts: `addressMaxFailures` a day, then 429 until the day is over.
 * - one account from everywhere: past `accountFreeFailures`, every login to it waits before its
 *   password is checked, doubling from `accountFirstDelayMs` up to `accountMaxDelayMs`. It slows
 *   a spread-out attacker and never refuses: the owner's right password still gets in.
 * A refused attempt never counts as a failure. The pair's and the address's attempts are counted
 * before the password check (and taken back on success), so parallel guesses cannot all slip
 * past a limit. If no store answers, logins go ahead (with a warning and a metric).
 */
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly limits: LoginThrottleLimits,
    private readonly counters: ThrottleCounters,
    private readonly events: LoginThrottleEvents,
  ) {}

  async check(account: string, address: string): Promise<LoginVerdict> {
    const pair = pairKey(account, address);
    try {
      const block = await this.counters.pairBlocks.get(pair);
      if (block && block.msLeft > 0) return { refused: true, kind: 'pair', retryAfterSeconds: ceilSeconds(block.msLeft) };

      const fromAddress = await this.counters.addressFailures.add(address);
      if (fromAddress.count > this.limits.addressMaxFailures) {
        await this.counters.addressFailures.takeBack(address);
        return { refused: true, kind: 'address', retryAfterSeconds: ceilSeconds(fromAddress.msLeft) };
      }

      const consecutive = await this.counters.pairFailures.add(pair);
      // Blocked before the password check, so parallel attempts find the block; a success lifts it.
      const blockSeconds = this.pairBlockSeconds(consecutive.count);
      if (blockSeconds > 0) await this.counters.pairBlocks.block(pair, blockSeconds);

      return { refused: false, delayMs: this.accountDelayMs((await this.counters.accountFailures.get(account))?.count ?? 0) };
    } catch (error) {
      this.storeFailed(error, 'Login throttling is unavailable: letting the login through unthrottled');
      return { refused: false, delayMs: 0 };
    }
  }

  /** The admitted attempt's password was wrong (its pair and address are counted already). */
  async failed(account: string): Promise<void> {
    try {
      await this.counters.accountFailures.add(account);
    } catch (error) {
      this.storeFailed(error, 'Could not count the failed login');
    }
  }

  /** The admitted attempt's password was right: it was no failure. */
  async succeeded(account: string, address: string): Promise<void> {
    const pair = pairKey(account, address);
    try {
      await Promise.all([
        this.counters.pairFailures.delete(pair),
        this.counters.pairBlocks.delete(pair),
        this.counters.addressFailures.takeBack(address),
        this.counters.accountFailures.delete(account),
      ]);
    } catch (error) {
      this.storeFailed(error, 'Could not reset the failed-login counters');
    }
  }

  /** The throttles in force now: blocked pairs and addresses, slowed accounts. */
  async list(): Promise<Throttle[]> {
    const [pairs, addresses, accounts] = await Promise.all([
      this.counters.pairBlocks.list(),
      this.counters.addressFailures.list(),
      this.counters.accountFailures.list(),
    ]);
    const pairFailures = new Map((await this.counters.pairFailures.list()).map((entry) => [entry.key, entry.count]));
    return [
      ...pairs
        .filter((entry) => entry.msLeft > 0)
        .map((entry): Throttle => {
          const split = entry.key.indexOf(':');
          return {
            kind: 'pair',
            key: `pair:${entry.key}`,
            account: entry.key.slice(0, split),
            address: entry.key.slice(split + 1),
            failures: pairFailures.get(entry.key) ?? this.limits.pairMaxConsecutiveFailures,
            remainingSeconds: ceilSeconds(entry.msLeft),
          };
        }),
      ...addresses
        .filter((entry) => entry.count >= this.limits.addressMaxFailures)
        .map((entry): Throttle => ({
          kind: 'address',
          key: `address:${entry.key}`,
          address: entry.key,
          failures: entry.count,
          remainingSeconds: ceilSeconds(entry.msLeft),
        })),
      ...accounts
        .filter((entry) => this.accountDelayMs(entry.count) > 0)
        .map((entry): Throttle => ({
          kind: 'account',
          key: `account:${entry.key}`,
          account: entry.key,
          failures: entry.count,
          remainingSeconds: ceilSeconds(entry.msLeft),
          delaySeconds: this.accountDelayMs(entry.count) / 1000,
        })),
    ];
  }

  /** Lifts a throttle by the key `list` gave; false when there is none by that key. */
  async clear(key: string): Promise<boolean> {
    const split = key.indexOf(':');
    const kind = key.slice(0, split);
    const id = key.slice(split + 1);
    if (split < 1 || id === '') return false;
    if (kind === 'pair') {
      const [failures, block] = await Promise.all([this.counters.pairFailures.delete(id), this.counters.pairBlocks.delete(id)]);
      return failures || block;
    }
    if (kind === 'address') return this.counters.addressFailures.delete(id);
    if (kind === 'account') return this.counters.accountFailures.delete(id);
    return false;
  }

  /** 0 below the limit; then the first block, doubled for each further consecutive failure, capped. */
  private pairBlockSeconds(consecutiveFailures: number): number {
    const beyond = consecutiveFailures - this.limits.pairMaxConsecutiveFailures;
    if (beyond < 0) return 0;
    return Math.min(this.limits.pairFirstBlockSeconds * 2 ** Math.min(beyond, 40), this.limits.pairMaxBlockSeconds);
  }

  /** 0 until the free failures are used up; then the first delay, doubled for each further failure, capped. */
  private accountDelayMs(failures: number): number {
    const beyond = failures - this.limits.accountFreeFailures;
    if (beyond < 0) return 0;
    return Math.min(this.limits.accountFirstDelayMs * 2 ** Math.min(beyond, 40), this.limits.accountMaxDelayMs);
  }

  private storeFailed(error: unknown, message: string): void {
    this.events.unavailable();
    this.logger.warn({ reason: (error as Error).message }, message);
  }
}
