import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Transactions, isUuid } from '@pm/platform';
import type { AppointmentEvent, BillingEvent } from '@pm/contracts';
import { randomUUID } from 'node:crypto';
import { BillingAccountsRepository } from '../accounts/billing-accounts.repository';
import type { BillingConfig } from '../config/billing.config';
import { Money, minorAmountProblem } from '../money/money';
import { Invoice, InvoiceStatus } from './invoice.entity';
import {
  InvalidPaymentError,
  InvoiceAlreadyPaidError,
  InvoiceNotFoundError,
  OverpaymentError,
  PaymentKeyReusedError,
} from './invoices.errors';
import { DuplicatePaymentKeyError, InvoicesRepository } from './invoices.repository';
import { Payment } from './payment.entity';

export type AppointmentInvoicingOutcome = 'issued' | 'already-invoiced' | 'ignored' | 'invalid' | 'currency-mismatch';

export interface PaymentOutcome {
  payment: Payment;
  /** False when the idempotency key had been used: the original payment, charged once. */
  created: boolean;
}

// Printable ASCII, as HTTP header values are; long enough for any client's UUID or hash.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const statusFor = (paid: Money, total: Money): InvoiceStatus => (paid.compare(total) >= 0 ? 'PAID' : 'OPEN');

@Injectable()
export class InvoicesService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly accounts: BillingAccountsRepository,
    private readonly transactions: Transactions,
    @Inject(APP_CONFIG) private readonly config: Pick<BillingConfig, 'BILLING_CURRENCY' | 'APPOINTMENT_PRICE_MINOR'>,
  ) {}

  /**
   * A completed appointment bills itself once: the unique appointment id makes a redelivered or
   * repeated event a no-op, and the account, invoice, balance and event commit together.
   */
  async invoiceAppointment(event: AppointmentEvent): Promise<AppointmentInvoicingOutcome> {
    if (event.event_type !== 'APPOINTMENT_COMPLETED') return 'ignored';
    if (!isUuid(event.appointment_id) || !isUuid(event.patient_id)) return 'invalid';
    const price = Money.of(this.config.APPOINTMENT_PRICE_MINOR, this.config.BILLING_CURRENCY);
    const patientId = event.patient_id.toLowerCase();
    const appointmentId = event.appointment_id.toLowerCase();
    return this.transactions.run(async (tx) => {
      const account = await this.accounts.openOnce(patientId, tx);
      // A balance holds one currency; an account billed in another one is left alone.
      if (account.currency && account.currency.trim() !== price.currency) return 'currency-mismatch';
      const issuedAt = new Date();
      const invoice = await this.invoices.insertInvoiceOnce({
        accountId: account.id,
        patientId,
        appointmentId,
        currency: price.currency,
        totalMinor: price.amountMinor,
        status: statusFor(Money.zero(price.currency), price),
        issuedAt,
        lines: [
          {
            description: `Appointment ${new Date(Number(event.start_time)).toISOString().slice(0, 10)}`,
            quantity: 1,
            unitPriceMinor: price.amountMinor,
            amountMinor: price.times(1).amountMinor,
          },
        ],
      }, tx);
      if (!invoice) return 'already-invoiced';
      await this.accounts.changeBalance(account.id, invoice.totalMinor, invoice.currency, tx);
      await this.invoices.recordEvents([
        this.billingEvent('INVOICE_ISSUED', invoice, { amountMinor: invoice.totalMinor, occurredAt: issuedAt }),
      ], tx);
      return 'issued';
    });
  }

  /**
   * Takes a payment once per idempotency key. The invoice row stays locked while the payment is
   * checked and written, so concurrent payments take turns and can never overpay together.
   */
  async pay(invoiceId: string, amount: unknown, idempotencyKey: string | undefined): Promise<PaymentOutcome> {
    if (!idempotencyKey) throw new InvalidPaymentError('Idempotency-Key', 'The Idempotency-Key header is required');
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new InvalidPaymentError('Idempotency-Key', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
    }
    const problem = minorAmountProblem(amount);
    if (problem) throw new InvalidPaymentError('amount', problem);
    const amountMinor = amount as number;
    try {
      return await this.transactions.run(async (tx) => {
        const invoice = await this.invoices.lockInvoice(invoiceId, tx);
        if (!invoice) throw new InvoiceNotFoundError(invoiceId);
        const earlier = await this.invoices.findPayment(invoiceId, idempotencyKey, tx);
        if (earlier) return this.replay(earlier, amountMinor);

        const total = Money.of(invoice.totalMinor, invoice.currency);
        const paid = Money.of(invoice.paidMinor, invoice.currency);
        const payment = Money.of(amountMinor, invoice.currency);
        if (invoice.status === 'PAID') throw new InvoiceAlreadyPaidError();
        const remaining = total.subtract(paid);
        if (payment.isGreaterThan(remaining)) throw new OverpaymentError(remaining.amountMinor);
        const paidAfter = paid.add(payment);
        const saved = await this.invoices.insertPayment({ invoiceId, amountMinor, currency: invoice.currency, idempotencyKey }, tx);
        await this.invoices.recordPaid(invoiceId, paidAfter.amountMinor, statusFor(paidAfter, total), tx);
        await this.accounts.changeBalance(invoice.accountId, -amountMinor, invoice.currency, tx);
        await this.invoices.recordEvents([
          this.billingEvent('PAYMENT_RECEIVED', { ...invoice, paidMinor: paidAfter.amountMinor }, {
            amountMinor,
            occurredAt: saved.createdAt,
            paymentId: saved.id,
          }),
        ], tx);
        return { payment: saved, created: true };
      });
    } catch (error) {
      if (!(error instanceof DuplicatePaymentKeyError)) throw error;
      // A concurrent request with the same key won the insert: answer with its payment.
      const winner = await this.invoices.findPayment(invoiceId, idempotencyKey);
      if (!winner) throw error;
      return this.replay(winner, amountMinor);
    }
  }

  findById(invoiceId: string): Promise<Invoice | null> {
    return this.invoices.findById(invoiceId);
  }

  findByPatient(patientId: string): Promise<Invoice[]> {
    return this.invoices.findByPatient(patientId.toLowerCase());
  }

  private replay(earlier: Payment, amountMinor: number): PaymentOutcome {
    if (earlier.amountMinor !== amountMinor) throw new PaymentKeyReusedError();
    return { payment: earlier, created: false };
  }

  private billingEvent(
    type: BillingEvent['event_type'],
    invoice: Pick<Invoice, 'id' | 'accountId' | 'patientId' | 'appointmentId' | 'currency' | 'totalMinor' | 'paidMinor'>,
    detail: { amountMinor: number; occurredAt: Date; paymentId?: string },
  ): BillingEvent {
    return {
      event_id: randomUUID(),
      event_type: type,
      invoice_id: invoice.id,
      account_id: invoice.accountId,
      patient_id: invoice.patientId,
      appointment_id: invoice.appointmentId ?? '',
      amount_minor: detail.amountMinor,
      currency: invoice.currency,
      invoice_total_minor: invoice.totalMinor,
      invoice_paid_minor: invoice.paidMinor,
      occurred_at: detail.occurredAt.getTime(),
      payment_id: detail.paymentId ?? '',
    };
  }
}
