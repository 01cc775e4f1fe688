import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BillingEvent, Topics, encodeBillingEvent } from '@pm/contracts';
import { OutboxWriter } from '@pm/outbox';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { BillingAccount } from '../accounts/billing-account.entity';
import { BillingAccountsRepository } from '../accounts/billing-accounts.repository';
import { InvoiceLine } from './invoice-line.entity';
import { Invoice, InvoiceStatus } from './invoice.entity';
import { Payment } from './payment.entity';

export interface InvoiceDraft {
  accountId: string;
  patientId: string;
  appointmentId: string | null;
  currency: string;
  totalMinor: number;
  status: InvoiceStatus;
  issuedAt: Date;
  lines: Pick<InvoiceLine, 'description' | 'quantity' | 'unitPriceMinor' | 'amountMinor'>[];
}

export type PaymentDraft = Pick<Payment, 'invoiceId' | 'amountMinor' | 'currency' | 'idempotencyKey'>;

/** The same idempotency key was stored by a concurrent request first. */
export class DuplicatePaymentKeyError extends Error {}

/** Everything one billing transaction may read or write; all of it commits or none of it. */
export interface BillingLedger {
  openAccount(patientId: string): Promise<BillingAccount>;
  /** The new invoice with its lines, or null when its appointment was invoiced already. */
  insertInvoiceOnce(draft: InvoiceDraft): Promise<Invoice | null>;
  /** Reads the invoice and holds its row until commit, so payments on it take turns. */
  lockInvoice(invoiceId: string): Promise<Invoice | null>;
  findPayment(invoiceId: string, idempotencyKey: string): Promise<Payment | null>;
  insertPayment(draft: PaymentDraft): Promise<Payment>;
  recordPaid(invoiceId: string, paidMinor: number, status: InvoiceStatus): Promise<void>;
  /** Adds `deltaMinor` (negative for a payment) to what the patient owes; sets a first currency. */
  changeBalance(accountId: string, deltaMinor: number, currency: string): Promise<void>;
  /** Queues events for topic `billing` through the outbox, published only if this commits. */
  announce(events: BillingEvent[]): Promise<void>;
}

const UNIQUE_VIOLATION = '23505';

class PostgresBillingLedger implements BillingLedger {
  constructor(
    private readonly manager: EntityManager,
    private readonly accounts: BillingAccountsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  openAccount(patientId: string): Promise<BillingAccount> {
    return this.accounts.openOnce(patientId, this.manager);
  }

  async insertInvoiceOnce(draft: InvoiceDraft): Promise<Invoice | null> {
    const inserted: { id: string }[] = await this.manager.query(
      `INSERT INTO invoices (account_id, patient_id, appointment_id, currency, total_minor, paid_minor, status, issued_at)
       VALUES ($1, $2, $3, $4, $5, 0, $6, $7)
       ON CONFLICT (appointment_id) DO NOTHING
       RETURNING id`,
      [draft.accountId, draft.patientId, draft.appointmentId, draft.currency, draft.totalMinor, draft.status, draft.issuedAt],
    );
    if (inserted.length === 0) return null;
    const invoiceId = inserted[0].id;
    await this.manager.insert(
      InvoiceLine,
      draft.lines.map((line, index) => ({ ...line, invoiceId, position: index + 1 })),
    );
    return this.manager.findOne(Invoice, { where: { id: invoiceId }, relations: { lines: true }, order: { lines: { position: 'ASC' } } });
  }

  lockInvoice(invoiceId: string): Promise<Invoice | null> {
    return this.manager.findOne(Invoice, { where: { id: invoiceId }, lock: { mode: 'pessimistic_write' } });
  }

  findPayment(invoiceId: string, idempotencyKey: string): Promise<Payment | null> {
    return this.manager.findOneBy(Payment, { invoiceId, idempotencyKey });
  }

  async insertPayment(draft: PaymentDraft): Promise<Payment> {
    try {
      return await this.manager.save(Payment, this.manager.create(Payment, draft));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DuplicatePaymentKeyError('Idempotency key already used for this invoice');
      }
      throw error;
    }
  }

  async recordPaid(invoiceId: string, paidMinor: number, status: InvoiceStatus): Promise<void> {
    await this.manager.update(Invoice, { id: invoiceId }, { paidMinor, status });
  }

  async changeBalance(accountId: string, deltaMinor: number, currency: string): Promise<void> {
    // Relative update: concurrent changes to one account add up instead of overwriting each other.
    await this.manager.query(
      'UPDATE billing_accounts SET balance_minor = balance_minor + $2, currency = COALESCE(currency, $3) WHERE id = $1',
      [accountId, deltaMinor, currency],
    );
  }

  async announce(events: BillingEvent[]): Promise<void> {
    await this.outbox.add(
      this.manager,
      events.map((event) => ({
        topic: Topics.billing,
        key: event.invoice_id,
        value: encodeBillingEvent(event),
        headers: { 'event-type': event.event_type },
      })),
    );
  }
}

@Injectable()
export class InvoicesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: BillingAccountsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  inTransaction<T>(work: (ledger: BillingLedger) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new PostgresBillingLedger(manager, this.accounts, this.outbox)));
  }

  findPayment(invoiceId: string, idempotencyKey: string): Promise<Payment | null> {
    return this.dataSource.manager.findOneBy(Payment, { invoiceId, idempotencyKey });
  }

  findById(invoiceId: string): Promise<Invoice | null> {
    return this.dataSource.manager.findOne(Invoice, {
      where: { id: invoiceId },
      relations: { lines: true },
      order: { lines: { position: 'ASC' } },
    });
  }

  findByPatient(patientId: string): Promise<Invoice[]> {
    return this.dataSource.manager.find(Invoice, {
      where: { patientId },
      relations: { lines: true },
      order: { issuedAt: 'ASC', id: 'ASC', lines: { position: 'ASC' } },
    });
  }
}
