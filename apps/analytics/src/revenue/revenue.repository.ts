import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { recordProcessedEvent } from '../events/processed-events';

export type RevenueKind = 'invoiced' | 'collected';

export interface RevenueDayTotals {
  day: string;
  invoicedMinor: number;
  collectedMinor: number;
}

/** The writes one billing event may make; all of them commit together or not at all. */
export interface RevenueTransaction {
  /** False when the event was applied before: then nothing else may be written. */
  recordProcessed(eventId: string, topic: string): Promise<boolean>;
  add(day: string, currency: string, kind: RevenueKind, amountMinor: number): Promise<void>;
}

// Column names come from this fixed map, never from input.
const amountColumn: Record<RevenueKind, string> = { invoiced: 'invoiced_minor', collected: 'collected_minor' };

class SqlRevenueTransaction implements RevenueTransaction {
  constructor(private readonly manager: EntityManager) {}

  recordProcessed(eventId: string, topic: string): Promise<boolean> {
    return recordProcessedEvent(this.manager, eventId, topic);
  }

  async add(day: string, currency: string, kind: RevenueKind, amountMinor: number): Promise<void> {
    const column = amountColumn[kind];
    await this.manager.query(
      `INSERT INTO revenue_daily (day, currency, ${column}) VALUES ($1, $2, $3::bigint)
       ON CONFLICT (day, currency) DO UPDATE SET ${column} = revenue_daily.${column} + EXCLUDED.${column}`,
      [day, currency, String(amountMinor)],
    );
  }
}

// bigint sums arrive as strings; the amounts stay far below 2^53 minor units.
const toNumber = (value: string | null) => Number(value ?? 0);

@Injectable()
export class RevenueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  inTransaction<T>(work: (transaction: RevenueTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new SqlRevenueTransaction(manager)));
  }

  /** The days of the inclusive range that have any revenue in the currency, in order. */
  async readDays(from: string, to: string, currency: string): Promise<RevenueDayTotals[]> {
    const rows: { day: string; invoiced: string; collected: string }[] = await this.dataSource.query(
      `SELECT day::text AS day, invoiced_minor::text AS invoiced, collected_minor::text AS collected
       FROM revenue_daily WHERE currency = $3 AND day BETWEEN $1::date AND $2::date ORDER BY day`,
      [from, to, currency],
    );
    return rows.map((r) => ({ day: r.day, invoicedMinor: toNumber(r.invoiced), collectedMinor: toNumber(r.collected) }));
  }

  /** Invoiced minus collected in the currency over all time. */
  async readOutstanding(currency: string): Promise<number> {
    const [row]: { outstanding: string | null }[] = await this.dataSource.query(
      `SELECT (sum(invoiced_minor) - sum(collected_minor))::text AS outstanding FROM revenue_daily WHERE currency = $1`,
      [currency],
    );
    return toNumber(row.outstanding);
  }
}
