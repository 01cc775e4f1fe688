import type { BillingEvent } from '@pm/contracts';
import { type Transaction, type Transactions, ProblemException } from '@pm/platform';
import { inMemoryTransactions, typedFake } from '@pm/testing';
import type { EventPosition } from '../events/event-position';
import { UnusableEventError } from '../events/unusable-event.error';
import type { AnalyticsUpdate } from '../stream/analytics-updates';
import { recordedUpdates } from '../testing/analytics-fakes';
import type { RevenueDayTotals, RevenueRepository } from './revenue.repository';
import { RevenueService } from './revenue.service';

type Row = { invoiced: number; collected: number };

interface Tables {
  processed: Set<string>;
  /** `day|currency` → totals */
  rows: Map<string, Row>;
}

/**
 * In memory, with the real thing's all-or-nothing transactions: `transactions.run` works on a
 * draft that replaces the tables only when the work succeeds; a write outside it fails.
 */
class FakeRevenueRepository implements Pick<RevenueRepository, 'recordProcessed' | 'add' | 'readDays' | 'readOutstanding'> {
  processed = new Set<string>();
  /** `day|currency` → totals */
  rows = new Map<string, Row>();
  private readonly tables = inMemoryTransactions<Tables>(
    { get: () => ({ processed: this.processed, rows: this.rows }), set: (tables) => Object.assign(this, tables) },
    (tables) => ({ processed: new Set(tables.processed), rows: new Map([...tables.rows].map(([k, v]) => [k, { ...v }])) }),
  );
  readonly transactions = this.tables.transactions;

  async recordProcessed(eventId: string, _topic: string, tx: Transaction): Promise<boolean> {
    const { processed } = this.draft(tx);
    if (processed.has(eventId)) return false;
    processed.add(eventId);
    return true;
  }

  async add(day: string, currency: string, kind: 'invoiced' | 'collected', amount: number, tx: Transaction): Promise<void> {
    const { rows } = this.draft(tx);
    const row = rows.get(`${day}|${currency}`) ?? { invoiced: 0, collected: 0 };
    row[kind] += amount;
    rows.set(`${day}|${currency}`, row);
  }

  async readDays(from: string, to: string, currency: string): Promise<RevenueDayTotals[]> {
    return [...this.rows]
      .map(([key, row]) => ({ key: key.split('|'), row }))
      .filter(({ key: [day, c] }) => c === currency && day >= from && day <= to)
      .sort((a, b) => a.key[0].localeCompare(b.key[0]))
      .map(({ key: [day], row }) => ({ day, invoicedMinor: row.invoiced, collectedMinor: row.collected }));
  }

  async readOutstanding(currency: string): Promise<number> {
    return [...this.rows].filter(([key]) => key.endsWith(`|${currency}`)).reduce((sum, [, r]) => sum + r.invoiced - r.collected, 0);
  }

  private draft(tx: Transaction): Tables {
    return this.tables.draft(tx);
  }
}

let nextId = 0;
const event = (overrides: Partial<BillingEvent> = {}): BillingEvent => ({
  event_id: `b-${++nextId}`,
  event_type: 'INVOICE_ISSUED',
  invoice_id: 'inv-1',
  account_id: 'acc-1',
  patient_id: '11111111-1111-4111-8111-111111111111',
  appointment_id: '',
  amount_minor: 10_000,
  currency: 'EUR',
  invoice_total_minor: 10_000,
  invoice_paid_minor: 0,
  occurred_at: Date.parse('2024-03-02T10:00:00Z'),
  payment_id: '',
  ...overrides,
});
const at = (): EventPosition => ({ topic: 'billing', partition: 1, offset: String(++nextId), timestamp: '1709373600000' });
const payment = (amount: number, occurredAt: string, overrides: Partial<BillingEvent> = {}) =>
  event({ event_type: 'PAYMENT_RECEIVED', amount_minor: amount, occurred_at: Date.parse(occurredAt), payment_id: `p-${nextId}`, ...overrides });

describe('RevenueService', () => {
  let repository: FakeRevenueRepository;
  let updates: AnalyticsUpdate[];
  let service: RevenueService;

  beforeEach(() => {
    repository = new FakeRevenueRepository();
    const recorded = recordedUpdates();
    updates = recorded.updates;
    service = new RevenueService(typedFake<RevenueRepository>(repository), typedFake<Transactions>(repository.transactions), recorded.feed);
  });

  it('adds invoices to invoiced and payments to collected on their UTC day, in minor units', async () => {
    await service.apply(event({ amount_minor: 10_000 }), at());
    await service.apply(payment(2_501, '2024-03-02T23:59:59.999Z'), at());
    await service.apply(payment(1_999, '2024-03-03T00:00:00.000Z'), at());
    expect(await service.report('2024-03-01', '2024-03-31', 'EUR')).toEqual({
      from: '2024-03-01',
      to: '2024-03-31',
      currency: 'EUR',
      invoicedMinor: 10_000,
      collectedMinor: 4_500,
      outstandingMinor: 5_500,
      days: [
        { day: '2024-03-02', invoicedMinor: 10_000, collectedMinor: 2_501 },
        { day: '2024-03-03', invoicedMinor: 0, collectedMinor: 1_999 },
      ],
    });
    expect(updates).toHaveLength(3);
    expect(updates[0]).toEqual({ type: 'revenue', day: '2024-03-02', currency: 'EUR', eventType: 'INVOICE_ISSUED', amountMinor: 10_000 });
  });

  it('sums the range only, but the outstanding balance over all time', async () => {
    await service.apply(event({ amount_minor: 7_000, occurred_at: Date.parse('2024-01-15T10:00:00Z') }), at());
    await service.apply(event({ amount_minor: 3_000 }), at());
    await service.apply(payment(1_000, '2024-03-02T12:00:00Z'), at());
    const march = await service.report('2024-03-01', '2024-03-31', 'EUR');
    expect([march.invoicedMinor, march.collectedMinor, march.outstandingMinor]).toEqual([3_000, 1_000, 9_000]);
  });

  it('keeps currencies apart', async () => {
    await service.apply(event({ amount_minor: 500, currency: 'USD' }), at());
    await service.apply(event({ amount_minor: 700 }), at());
    expect((await service.report('2024-03-02', '2024-03-02', 'USD')).invoicedMinor).toBe(500);
    expect((await service.report('2024-03-02', '2024-03-02', 'EUR')).outstandingMinor).toBe(700);
  });

  it('adds large amounts exactly (no floating point drift)', async () => {
    for (let i = 0; i < 10; i++) await service.apply(event({ amount_minor: 900_719_925_474_099 }), at());
    expect((await service.report('2024-03-02', '2024-03-02', 'EUR')).invoicedMinor).toBe(9_007_199_254_740_990);
  });

  it('changes nothing when the same event is delivered again', async () => {
    const issued = event();
    await expect(service.apply(issued, at())).resolves.toBe('applied');
    await expect(service.apply(issued, at())).resolves.toBe('duplicate');
    expect((await service.report('2024-03-02', '2024-03-02', 'EUR')).invoicedMinor).toBe(10_000);
    expect(updates).toHaveLength(1);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(service.report('2024-03-02', '2024-03-01', 'EUR')).rejects.toThrow(ProblemException);
  });

  it.each([
    ['a currency that is not ISO 4217', { currency: 'euro' }, 'currency'],
    ['a negative amount', { amount_minor: -5 }, 'amount_minor'],
  ])('refuses %s without recording anything', async (_what, overrides, field) => {
    const failure = service.apply(event(overrides), at());
    await expect(failure).rejects.toThrow(UnusableEventError);
    await expect(failure).rejects.toMatchObject({ field });
    expect(repository.processed.size).toBe(0);
  });
});
