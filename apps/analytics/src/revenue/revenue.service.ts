import { Injectable } from '@nestjs/common';
import type { BillingEvent, BillingEventType } from '@pm/contracts';
import { Transactions } from '@pm/platform';
import { assertOrderedRange } from '../common/date-range.query';
import { ApplyOutcome, EventPosition, eventTime, processedEventId, utcDay } from '../events/event-position';
import { UnusableEventError } from '../events/unusable-event.error';
import { AnalyticsUpdates } from '../stream/analytics-updates';
import { RevenueDayTotals, RevenueKind, RevenueRepository } from './revenue.repository';

export interface RevenueReport {
  from: string;
  to: string;
  currency: string;
  invoicedMinor: number;
  collectedMinor: number;
  /** Invoiced minus collected over all time, not only the range. */
  outstandingMinor: number;
  days: RevenueDayTotals[];
}

const CURRENCY = /^[A-Z]{3}$/;
const countedAs: Record<BillingEventType, RevenueKind> = { INVOICE_ISSUED: 'invoiced', PAYMENT_RECEIVED: 'collected' };

/** Revenue per day in integer minor units: invoices issued count as invoiced, payments as collected. */
@Injectable()
export class RevenueService {
  constructor(
    private readonly revenue: RevenueRepository,
    private readonly transactions: Transactions,
    private readonly updates: AnalyticsUpdates,
  ) {}

  async apply(event: BillingEvent, position: EventPosition): Promise<ApplyOutcome> {
    if (!CURRENCY.test(event.currency)) throw new UnusableEventError('currency', 'currency must be an ISO 4217 code');
    if (!Number.isSafeInteger(event.amount_minor) || event.amount_minor < 0) {
      throw new UnusableEventError('amount_minor', 'amount_minor must be a non-negative integer');
    }
    const day = utcDay(eventTime(event.occurred_at, position));
    const eventId = processedEventId(event.event_id, position);

    // The processed-event row and the sum commit together: a redelivery finds the row and adds nothing.
    const outcome = await this.transactions.run(async (tx): Promise<ApplyOutcome> => {
      if (!(await this.revenue.recordProcessed(eventId, position.topic, tx))) return 'duplicate';
      await this.revenue.add(day, event.currency, countedAs[event.event_type], event.amount_minor, tx);
      return 'applied';
    });
    if (outcome === 'applied') {
      this.updates.emit({ type: 'revenue', day, currency: event.currency, eventType: event.event_type, amountMinor: event.amount_minor });
    }
    return outcome;
  }

  async report(from: string, to: string, currency: string): Promise<RevenueReport> {
    assertOrderedRange(from, to);
    const [days, outstandingMinor] = await Promise.all([
      this.revenue.readDays(from, to, currency),
      this.revenue.readOutstanding(currency),
    ]);
    return {
      from,
      to,
      currency,
      invoicedMinor: days.reduce((sum, d) => sum + d.invoicedMinor, 0),
      collectedMinor: days.reduce((sum, d) => sum + d.collectedMinor, 0),
      outstandingMinor,
      days,
    };
  }
}
