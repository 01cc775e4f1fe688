import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Money invoiced and collected on one UTC day in one currency, in integer minor units. */
@Entity({ name: 'revenue_daily' })
@Index('ix_revenue_daily_currency', ['currency'])
export class RevenueDay {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_revenue_daily' })
  day: string;

  @PrimaryColumn({ type: 'char', length: 3, primaryKeyConstraintName: 'pk_revenue_daily' })
  currency: string;

  /** bigint: PostgreSQL returns it as a string. */
  @Column({ name: 'invoiced_minor', type: 'bigint', default: 0 })
  invoicedMinor: string;

  @Column({ name: 'collected_minor', type: 'bigint', default: 0 })
  collectedMinor: string;
}
