import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BillingEvent, Topics, encodeBillingEvent } from '@pm/contracts';
import { OutboxWriter } from '@pm/outbox';
import type { Transaction } from '@pm/platform';
import { DataSource, QueryFailedError } from 'typeorm';
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

const UNIQUE_VIOLATION = '23505';

/**
 * Invoices, their lines and payments. Writes join the caller's transaction (`tx`, opened by the
 * service), so an invoice, its balance change and its event commit together or not at all.
 */
@Injectable()
export class InvoicesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** The new invoice with its lines, or null when its appointment was invoiced already. */
  async insertInvoiceOnce(draft: InvoiceDraft, tx: Transaction): Promise<Invoice | null> {
    const inserted: { id: string }[] = await tx.query(
      `INSERT INTO invoices (account_id, patient_id, appointment_id, currency, total_minor, paid_minor, status, issued_at)
       VALUES ($1, $2, $3, $4, $5, 0, $6, $7)
       ON CONFLICT (appointment_id) DO NOTHING
       RETURNING id`,
      [draft.accountId, draft.patientId, draft.appointmentId, draft.currency, draft.totalMinor, draft.status, draft.issuedAt],
    );
    if (inserted.length === 0) return null;
    const invoiceId = inserted[0].id;
    await tx.insert(
      InvoiceLine,
      draft.lines.map((line, index) => ({ ...line, invoiceId, position: index + 1 })),
    );
    return tx.findOne(Invoice, { where: { id: invoiceId }, relations: { lines: true }, order: { lines: { position: 'ASC' } } });
  }

  /** Reads the invoice and holds its row until `tx` ends, so payments on it take turns. */
  lockInvoice(invoiceId: string, tx: Transaction): Promise<Invoice | null> {
    return tx.findOne(Invoice, { where: { id: invoiceId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inside `tx` when given (the paying transaction), else on its own. */
  findPayment(invoiceId: string, idempotencyKey: string, tx: Transaction = this.dataSource.manager): Promise<Payment | null> {
    return tx.findOneBy(Payment, { invoiceId, idempotencyKey });
  }

  async insertPayment(draft: PaymentDraft, tx: Transaction): Promise<Payment> {
    try {
      return await tx.save(Payment, tx.create(Payment, draft));
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DuplicatePaymentKeyError('Idempotency key already used for this invoice');
      }
      throw error;
    }
  }

  async recordPaid(invoiceId: string, paidMinor: number, status: InvoiceStatus, tx: Transaction): Promise<void> {
    await tx.update(Invoice, { id: invoiceId }, { paidMinor, status });
  }

  /** Queues events for topic `billing` through the outbox, published only if `tx` commits. */
  async recordEvents(events: BillingEvent[], tx: Transaction): Promise<void> {
    await this.outbox.add(
      tx,
      events.map((event) => ({
        topic: Topics.billing,
        key: event.invoice_id,
        value: encodeBillingEvent(event),
        headers: { 'event-type': event.event_type },
      })),
    );
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
