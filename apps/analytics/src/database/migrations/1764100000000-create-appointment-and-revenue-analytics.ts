import { sqlMigration } from '@pm/platform';

export class CreateAppointmentAndRevenueAnalytics1764100000000 extends sqlMigration('CreateAppointmentAndRevenueAnalytics1764100000000', {
  up: [
    // Where each appointment is counted now, so a status change moves exactly one count.
    `CREATE TABLE appointment_states (
       appointment_id text PRIMARY KEY,
       status text NOT NULL,
       doctor_id text NOT NULL,
       day date NOT NULL
     )`,
    // One row per day, doctor and status: by status sums over doctors, by doctor sums over statuses.
    `CREATE TABLE appointment_daily_counts (
       day date NOT NULL,
       doctor_id text NOT NULL,
       status text NOT NULL,
       count integer NOT NULL DEFAULT 0 CHECK (count >= 0),
       CONSTRAINT pk_appointment_daily_counts PRIMARY KEY (day, doctor_id, status)
     )`,
    // Integer minor units only (never floating point).
    `CREATE TABLE revenue_daily (
       day date NOT NULL,
       currency char(3) NOT NULL,
       invoiced_minor bigint NOT NULL DEFAULT 0 CHECK (invoiced_minor >= 0),
       collected_minor bigint NOT NULL DEFAULT 0 CHECK (collected_minor >= 0),
       CONSTRAINT pk_revenue_daily PRIMARY KEY (day, currency)
     )`,
    // Outstanding sums one currency over every day.
    'CREATE INDEX ix_revenue_daily_currency ON revenue_daily (currency)',
  ],
  down: ['DROP TABLE revenue_daily', 'DROP TABLE appointment_daily_counts', 'DROP TABLE appointment_states'],
}) {}
