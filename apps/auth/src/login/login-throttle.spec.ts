import { Logger } from '@nestjs/common';
import { FakeClock } from '@pm/testing';
import { CounterState, LoginThrottle, LoginThrottleLimits, ThrottleCounter, ThrottleCounters, unknownAccount } from './login-throttle';

/** Counts per key in fixed windows in memory, on the fake clock (what rate-limiter-flexible does in Redis). */
class FakeCounter implements ThrottleCounter {
  private readonly entries = new Map<string, { count: number; expiresAt: number }>();
  down = false;

  constructor(
    private readonly clock: FakeClock,
    private readonly windowMs: number,
  ) {}

  async get(key: string): Promise<CounterState | null> {
    this.failIfDown();
    const entry = this.live(key);
    return entry ? { count: entry.count, msLeft: entry.expiresAt - this.clock.now().getTime() } : null;
  }

  async add(key: string): Promise<CounterState> {
    this.failIfDown();
    const entry = this.live(key) ?? { count: 0, expiresAt: this.clock.now().getTime() + this.windowMs };
    entry.count += 1;
    this.entries.set(key, entry);
    return { count: entry.count, msLeft: entry.expiresAt - this.clock.now().getTime() };
  }

  async takeBack(key: string): Promise<void> {
    this.failIfDown();
    const entry = this.live(key);
    if (entry) entry.count -= 1;
  }

  async block(key: string, seconds: number): Promise<void> {
    this.failIfDown();
    this.entries.set(key, { count: 1, expiresAt: this.clock.now().getTime() + seconds * 1000 });
  }

  async delete(key: string): Promise<boolean> {
    this.failIfDown();
    return this.entries.delete(key);
  }

  async list(): Promise<Array<CounterState & { key: string }>> {
    return [...this.entries.keys()].flatMap((key) => {
      const entry = this.live(key);
      return entry ? [{ key, count: entry.count, msLeft: entry.expiresAt - this.clock.now().getTime() }] : [];
    });
  }

  private live(key: string) {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > this.clock.now().getTime() ? entry : undefined;
  }

  private failIfDown(): void {
    if (this.down) throw new Error('Redis connection is not ready');
  }
}

const LIMITS: LoginThrottleLimits = {
  pairMaxConsecutiveFailures: 10,
  pairFirstBlockSeconds: 1,
  pairMaxBlockSeconds: 900,
  addressMaxFailures: 100,
  accountFreeFailures: 20,
  accountFirstDelayMs: 500,
  accountMaxDelayMs: 30_000,
};

const ALICE = 'a1a1a1a1-0000-4000-8000-000000000001';
const BOB = 'b2b2b2b2-0000-4000-8000-000000000002';
const NAT = '203.0.113.9';
const HOME = '198.51.100.4';

describe('LoginThrottle', () => {
  let clock: FakeClock;
  let counters: ThrottleCounters & Record<string, FakeCounter>;
  let unavailable: number;
  let throttle: LoginThrottle;

  const make = (limits: Partial<LoginThrottleLimits> = {}) => {
    clock = new FakeClock(1_000_000);
    counters = {
      pairFailures: new FakeCounter(clock, 86_400_000),
      pairBlocks: new FakeCounter(clock, 900_000),
      addressFailures: new FakeCounter(clock, 86_400_000),
      accountFailures: new FakeCounter(clock, 3_600_000),
    };
    unavailable = 0;
    throttle = new LoginThrottle({ ...LIMITS, ...limits }, counters, { unavailable: () => unavailable++ });
  };

  beforeEach(() => {
    make();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  /** One login with a wrong password, as LoginService runs it; answers the verdict. */
  const wrong = async (account: string, address: string) => {
    const verdict = await throttle.check(account, address);
    if (!verdict.refused) await throttle.failed(account);
    return verdict;
  };
  const right = async (account: string, address: string) => {
    const verdict = await throttle.check(account, address);
    if (!verdict.refused) await throttle.succeeded(account, address);
    return verdict;
  };

  it('blocks a pair after 10 consecutive failures, for 1 s, then 2 s, 4 s... up to 15 min', async () => {
    for (let i = 0; i < 10; i++) expect(await wrong(ALICE, NAT)).toEqual({ refused: false, delayMs: 0 });
    expect(await wrong(ALICE, NAT)).toEqual({ refused: true, kind: 'pair', retryAfterSeconds: 1 });
    const retryAfters: number[] = [];
    for (let i = 0; i < 12; i++) {
      clock.advance(900_000);
      expect((await wrong(ALICE, NAT)).refused).toBe(false);
      const refused = await wrong(ALICE, NAT);
      retryAfters.push(refused.refused ? refused.retryAfterSeconds : 0);
    }
    expect(retryAfters).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);
  });

  it('never blocks a colleague at the same address, nor the account at another address', async () => {
    for (let i = 0; i < 30; i++) await wrong(ALICE, NAT);
    expect((await right(BOB, NAT)).refused).toBe(false);
    expect((await right(ALICE, HOME)).refused).toBe(false);
    expect((await wrong(ALICE, NAT)).refused).toBe(true);
  });

  it('does not count a refused attempt as a failure: the block after it is not longer', async () => {
    for (let i = 0; i < 10; i++) await wrong(ALICE, NAT);
    for (let i = 0; i < 50; i++) expect(await wrong(ALICE, NAT)).toMatchObject({ refused: true, retryAfterSeconds: 1 });
    clock.advance(1_000);
    expect((await wrong(ALICE, NAT)).refused).toBe(false);
    expect(await wrong(ALICE, NAT)).toMatchObject({ refused: true, retryAfterSeconds: 2 });
    expect((await counters.accountFailures.get(ALICE))?.count).toBe(11);
    expect((await counters.addressFailures.get(NAT))?.count).toBe(11);
  });

  it('a success resets the pair (and its block) and the account, and takes its attempt off the address', async () => {
    for (let i = 0; i < 9; i++) await wrong(ALICE, NAT);
    await right(ALICE, NAT);
    for (let i = 0; i < 9; i++) expect((await wrong(ALICE, NAT)).refused).toBe(false);
    expect((await counters.accountFailures.get(ALICE))?.count).toBe(9);
    expect((await counters.addressFailures.get(NAT))?.count).toBe(18);
  });

  it('the right password on the 10th attempt is no failure: it lifts the block set before the check', async () => {
    for (let i = 0; i < 9; i++) await wrong(ALICE, NAT);
    expect((await right(ALICE, NAT)).refused).toBe(false);
    expect((await wrong(ALICE, NAT)).refused).toBe(false);
  });

  it('refuses an address after 100 failures a day over many accounts, until the day is over', async () => {
    for (let i = 0; i < 100; i++) expect((await wrong(`unknown-guess${i}`, NAT)).refused).toBe(false);
    const refused = await wrong(BOB, NAT);
    expect(refused).toEqual({ refused: true, kind: 'address', retryAfterSeconds: 86_400 });
    expect((await right(BOB, NAT)).refused).toBe(true);
    expect((await counters.addressFailures.get(NAT))?.count).toBe(100);
    expect((await right(BOB, HOME)).refused).toBe(false);
    clock.advance(86_400_000);
    expect((await right(BOB, NAT)).refused).toBe(false);
  });

  it('slows an account failing from many addresses (doubling, capped at 30 s) and never refuses it', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 30; i++) {
      const verdict = await wrong(ALICE, `198.18.0.${i}`);
      expect(verdict.refused).toBe(false);
      if (!verdict.refused) delays.push(verdict.delayMs);
    }
    expect(delays.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(delays.slice(20)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
    const owner = await right(ALICE, HOME);
    expect(owner).toEqual({ refused: false, delayMs: 30_000 });
    // The owner's success ends the delay.
    expect(await throttle.check(ALICE, HOME)).toEqual({ refused: false, delayMs: 0 });
  });

  it('lists the throttles in force by kind, with keys that clear them', async () => {
    make({ addressMaxFailures: 12, accountFreeFailures: 11 });
    for (let i = 0; i < 10; i++) await wrong(ALICE, NAT);
    await wrong(BOB, NAT);
    await wrong(BOB, NAT);
    const throttles = await throttle.list();
    expect(throttles).toEqual(
      expect.arrayContaining([
        { kind: 'pair', key: `pair:${ALICE}:${NAT}`, account: ALICE, address: NAT, failures: 10, remainingSeconds: 1 },
        { kind: 'address', key: `address:${NAT}`, address: NAT, failures: 12, remainingSeconds: 86_400 },
      ]),
    );
    expect(throttles).toHaveLength(2);

    await wrong(ALICE, HOME);
    expect(await throttle.list()).toContainEqual({
      kind: 'account',
      key: `account:${ALICE}`,
      account: ALICE,
      failures: 11,
      remainingSeconds: 3_600,
      delaySeconds: 0.5,
    });

    expect(await throttle.clear(`pair:${ALICE}:${NAT}`)).toBe(true);
    expect(await throttle.clear(`address:${NAT}`)).toBe(true);
    expect(await throttle.clear(`account:${ALICE}`)).toBe(true);
    expect(await throttle.list()).toEqual([]);
    expect((await right(ALICE, NAT)).refused).toBe(false);
    expect(await throttle.clear('address:192.0.2.99')).toBe(false);
    expect(await throttle.clear('nonsense')).toBe(false);
    expect(await throttle.clear('pair:')).toBe(false);
  });

  it('keys an IPv6 pair so that it splits back into account and address', async () => {
    for (let i = 0; i < 10; i++) await wrong(ALICE, '2001:db8::7');
    expect(await throttle.list()).toContainEqual(expect.objectContaining({ key: `pair:${ALICE}:2001:db8::7`, address: '2001:db8::7' }));
    expect(await throttle.clear(`pair:${ALICE}:2001:db8::7`)).toBe(true);
  });

  it('names an unknown email by a hash, never the email', () => {
    expect(unknownAccount('ghost@test.com')).toMatch(/^unknown-[A-Za-z0-9_-]{43}$/);
    expect(unknownAccount('ghost@test.com')).not.toContain('ghost');
  });

  it('lets logins through unthrottled when no store answers, and reports it', async () => {
    for (const counter of Object.values(counters)) counter.down = true;
    expect(await throttle.check(ALICE, NAT)).toEqual({ refused: false, delayMs: 0 });
    await throttle.failed(ALICE);
    await throttle.succeeded(ALICE, NAT);
    expect(unavailable).toBe(3);
  });

  it('lists a block whose failure count is gone with the limit as its failures, and clears it by the block alone', async () => {
    for (let i = 0; i < 10; i++) await wrong(ALICE, NAT);
    await counters.pairFailures.delete(`${ALICE}:${NAT}`);
    expect(await throttle.list()).toContainEqual(expect.objectContaining({ kind: 'pair', failures: LIMITS.pairMaxConsecutiveFailures }));
    expect(await throttle.clear(`pair:${ALICE}:${NAT}`)).toBe(true);
    expect((await throttle.check(ALICE, NAT)).refused).toBe(false);
  });

  it('clears nothing for a key of an unknown kind, even one naming a throttled address', async () => {
    make({ addressMaxFailures: 1 });
    await wrong(BOB, NAT);
    expect(await throttle.clear(`ip:${NAT}`)).toBe(false);
    expect(await throttle.list()).toContainEqual(expect.objectContaining({ kind: 'address', address: NAT }));
  });
});
