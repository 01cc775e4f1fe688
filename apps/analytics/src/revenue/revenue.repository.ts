import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@pm/platform';
import { DataSource } from 'typeorm';
import { recordProcessedEvent } from '../events/processed-events';

export type RevenueKind = 'invoiced' | 'collected';

export interface RevenueDayTotals {
  day: string;
  invoicedMinor: number;
  collectedMinor: number;
}

// Column names come from this fixed map, never from input.
const amountColumn: Record<RevenueKind, string> = { invoiced: 'invoiced_minor', collected: 'collected_minor' };

// bigint sums arrive as strings; the amounts stay far below 2^53 minor units.
const toNumber = (value: string | null) => Number(value ?? 0);

@Injectable()
export class RevenueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when the event was applied before: then nothing else may be written in `tx`. */
  recordProcessed(eventId: string, topic: string, tx: Transaction): Promise<boolean> {
    return recordProcessedEvent(eventId, topic, tx);
  }

  async add(day: string, currency: string, kind: RevenueKind, amountMinor: number, tx: Transaction): Promise<void> {
    const column = amountColumn[kind];
    await tx.query(
      `INSERT INTO revenue_daily (day, currency, ${column}) VALUES ($1, $2, $3::bigint)
       ON CONFLICT (day, currency) DO UPDATE SET ${column} = revenue_daily.${column} + EXCLUDED.${column}`,
      [day, currency, String(amountMinor)],
    );
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
