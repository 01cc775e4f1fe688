import type { AppointmentEvent, BillingEvent } from '@pm/contracts';
import type { Transaction, Transactions } from '@pm/platform';
import { typedFake } from '@pm/testing';
import { BillingAccount } from '../accounts/billing-account.entity';
import { BillingAccountsRepository } from '../accounts/billing-accounts.repository';
import { InvoiceLine } from './invoice-line.entity';
import { Invoice, InvoiceStatus } from './invoice.entity';
import { DuplicatePaymentKeyError, InvoiceDraft, InvoicesRepository, PaymentDraft } from './invoices.repository';
import { InvalidPaymentError, InvoiceNotFoundError, OverpaymentError, PaymentKeyReusedError } from './invoices.errors';
import { InvoicesService } from './invoices.service';
import { Payment } from './payment.entity';

/**
 * In-memory billing tables behind typed fakes of both repositories and of `Transactions`: a
 * transaction's writes are kept only if its work succeeds, and a write outside the open
 * transaction fails, as it would not commit with the rest.
 */
class FakeBillingDatabase {
  accounts = new Map<string, BillingAccount>();
  invoices = new Map<string, Invoice>();
  payments: Payment[] = [];
  events: BillingEvent[] = [];
  /** Makes the next insertPayment act as if a concurrent request stored the same key first. */
  raceNextPaymentWith?: Payment;
  private committedElsewhere?: Payment;
  private openTransaction?: Transaction;
  private ids = 0;

  readonly transactions: Pick<Transactions, 'run'> = {
    run: async <T>(work: (tx: Transaction) => Promise<T>): Promise<T> => {
      const snapshot = structuredClone({ accounts: this.accounts, invoices: this.invoices, payments: this.payments, events: this.events });
      this.openTransaction = {} as Transaction;
      try {
        return await work(this.openTransaction);
      } catch (error) {
        Object.assign(this, snapshot);
        // The concurrent request's transaction committed, whatever happened to ours.
        if (this.committedElsewhere) this.payments.push(this.committedElsewhere);
        this.committedElsewhere = undefined;
        throw error;
      } finally {
        this.openTransaction = undefined;
      }
    },
  };

  readonly accountsRepository: Pick<BillingAccountsRepository, 'openOnce' | 'changeBalance'> = {
    openOnce: async (patientId, tx) => {
      this.joined(tx);
      const existing = this.account(patientId);
      if (existing) return existing;
      const account = Object.assign(new BillingAccount(), { id: this.id('account'), patientId, status: 'ACTIVE' as const, balanceMinor: 0, currency: null, createdAt: new Date() });
      this.accounts.set(account.id, account);
      return account;
    },
    changeBalance: async (accountId, delta, currency, tx) => {
      this.joined(tx);
      const account = this.accounts.get(accountId)!;
      account.balanceMinor += delta;
      account.currency ??= currency;
    },
  };

  readonly invoicesRepository: Pick<
    InvoicesRepository,
    'insertInvoiceOnce' | 'lockInvoice' | 'findPayment' | 'insertPayment' | 'recordPaid' | 'recordEvents' | 'findById' | 'findByPatient'
  > = {
    insertInvoiceOnce: async (draft: InvoiceDraft, tx) => {
      this.joined(tx);
      if ([...this.invoices.values()].some((i) => i.appointmentId === draft.appointmentId)) return null;
      const id = this.id('invoice');
      const lines = draft.lines.map((line, index) => Object.assign(new InvoiceLine(), { ...line, id: this.id('line'), invoiceId: id, position: index + 1 }));
      const invoice = Object.assign(new Invoice(), { ...draft, id, paidMinor: 0, lines });
      this.invoices.set(id, invoice);
      return invoice;
    },
    lockInvoice: async (id, tx) => {
      this.joined(tx);
      return this.invoices.get(id) ?? null;
    },
    findPayment: async (invoiceId, key) => this.payments.find((p) => p.invoiceId === invoiceId && p.idempotencyKey === key) ?? null,
    insertPayment: async (draft: PaymentDraft, tx) => {
      this.joined(tx);
      if (this.raceNextPaymentWith) {
        this.committedElsewhere = this.raceNextPaymentWith;
        this.raceNextPaymentWith = undefined;
        throw new DuplicatePaymentKeyError('duplicate');
      }
      const payment = Object.assign(new Payment(), { ...draft, id: this.id('payment'), createdAt: new Date() });
      this.payments.push(payment);
      return payment;
    },
    recordPaid: async (id, paidMinor: number, status: InvoiceStatus, tx) => {
      this.joined(tx);
      Object.assign(this.invoices.get(id)!, { paidMinor, status });
    },
    recordEvents: async (events, tx) => {
      this.joined(tx);
      this.events.push(...events);
    },
    findById: async (id) => this.invoices.get(id) ?? null,
    findByPatient: async (patientId) => [...this.invoices.values()].filter((i) => i.patientId === patientId),
  };

  account(patientId: string) {
    return [...this.accounts.values()].find((a) => a.patientId === patientId);
  }

  private joined(tx: Transaction | undefined) {
    if (!tx || tx !== this.openTransaction) throw new Error('write outside the open transaction');
  }

  private id = (prefix: string) => `${prefix}-${++this.ids}`;
}

describe('InvoicesService', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  const appointmentId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  let repository: FakeBillingDatabase;
  let service: InvoicesService;

  const completed = (overrides: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
    event_id: 'event-1',
    event_type: 'APPOINTMENT_COMPLETED',
    appointment_id: appointmentId,
    patient_id: patientId,
    doctor_id: 'doctor-1',
    start_time: Date.UTC(2026, 10, 23, 9, 30),
    end_time: Date.UTC(2026, 10, 23, 10),
    status: 'COMPLETED',
    occurred_at: Date.UTC(2026, 10, 23, 10),
    ...overrides,
  });

  const issueInvoice = async () => {
    await service.invoiceAppointment(completed());
    return [...repository.invoices.values()][0];
  };

  beforeEach(() => {
    repository = new FakeBillingDatabase();
    service = new InvoicesService(
      typedFake<InvoicesRepository>(repository.invoicesRepository),
      typedFake<BillingAccountsRepository>(repository.accountsRepository),
      typedFake<Transactions>(repository.transactions),
      { BILLING_CURRENCY: 'EUR', APPOINTMENT_PRICE_MINOR: 5000 },
    );
  });

  describe('invoicing a completed appointment', () => {
    it('opens the account, issues one line at the configured price, raises the balance and announces it', async () => {
      await expect(service.invoiceAppointment(completed())).resolves.toBe('issued');
      const [invoice] = repository.invoices.values();
      expect(invoice).toMatchObject({ patientId, appointmentId, currency: 'EUR', totalMinor: 5000, paidMinor: 0, status: 'OPEN' });
      expect(invoice.lines).toEqual([expect.objectContaining({ description: 'Appointment 2026-11-23', quantity: 1, unitPriceMinor: 5000, amountMinor: 5000 })]);
      expect(repository.account(patientId)).toMatchObject({ balanceMinor: 5000, currency: 'EUR' });
      expect(repository.events).toEqual([
        expect.objectContaining({ event_type: 'INVOICE_ISSUED', invoice_id: invoice.id, amount_minor: 5000, invoice_total_minor: 5000, invoice_paid_minor: 0, appointment_id: appointmentId }),
      ]);
    });

    it('invoices an appointment once, however often its completion arrives', async () => {
      await service.invoiceAppointment(completed());
      await expect(service.invoiceAppointment(completed({ event_id: 'event-2' }))).resolves.toBe('already-invoiced');
      expect(repository.invoices.size).toBe(1);
      expect(repository.account(patientId)!.balanceMinor).toBe(5000);
      expect(repository.events).toHaveLength(1);
    });

    it('ignores other appointment changes and events with bad ids', async () => {
      await expect(service.invoiceAppointment(completed({ event_type: 'APPOINTMENT_SCHEDULED' }))).resolves.toBe('ignored');
      await expect(service.invoiceAppointment(completed({ patient_id: 'nope' }))).resolves.toBe('invalid');
      expect(repository.invoices.size).toBe(0);
    });

    it('leaves an account billed in another currency alone', async () => {
      await service.invoiceAppointment(completed());
      repository.account(patientId)!.currency = 'USD';
      await expect(service.invoiceAppointment(completed({ appointment_id: 'aaaaaaaa-bbbb-4ccc-8ddd-000000000000' }))).resolves.toBe('currency-mismatch');
      expect(repository.invoices.size).toBe(1);
    });
  });

  describe('paying an invoice', () => {
    it('takes partial payments until the invoice is PAID, lowering the balance each time', async () => {
      const invoice = await issueInvoice();
      await expect(service.pay(invoice.id, 2000, 'k1')).resolves.toMatchObject({ created: true, payment: { amountMinor: 2000 } });
      expect(repository.invoices.get(invoice.id)).toMatchObject({ paidMinor: 2000, status: 'OPEN' });
      await service.pay(invoice.id, 3000, 'k2');
      expect(repository.invoices.get(invoice.id)).toMatchObject({ paidMinor: 5000, status: 'PAID' });
      expect(repository.account(patientId)!.balanceMinor).toBe(0);
      expect(repository.events.filter((e) => e.event_type === 'PAYMENT_RECEIVED').map((e) => [e.amount_minor, e.invoice_paid_minor])).toEqual([
        [2000, 2000],
        [3000, 5000],
      ]);
    });

    it('returns the original payment for a repeated key and charges once', async () => {
      const invoice = await issueInvoice();
      const first = await service.pay(invoice.id, 1000, 'same');
      const again = await service.pay(invoice.id, 1000, 'same');
      expect(again).toEqual({ payment: first.payment, created: false });
      expect(repository.payments).toHaveLength(1);
      expect(repository.account(patientId)!.balanceMinor).toBe(4000);
    });

    it('refuses a repeated key with a different amount', async () => {
      const invoice = await issueInvoice();
      await service.pay(invoice.id, 1000, 'same');
      await expect(service.pay(invoice.id, 1500, 'same')).rejects.toThrow(PaymentKeyReusedError);
    });

    it('answers with the winner when a concurrent request stored the same key first', async () => {
      const invoice = await issueInvoice();
      const winner = Object.assign(new Payment(), { id: 'payment-w', invoiceId: invoice.id, amountMinor: 1000, currency: 'EUR', idempotencyKey: 'k', createdAt: new Date() });
      repository.raceNextPaymentWith = winner;
      await expect(service.pay(invoice.id, 1000, 'k')).resolves.toEqual({ payment: winner, created: false });
    });

    it('passes the duplicate-key failure on when the request that won the race left no payment to answer with', async () => {
      const invoice = await issueInvoice();
      const duplicate = new DuplicatePaymentKeyError('duplicate');
      jest.spyOn(repository.invoicesRepository, 'insertPayment').mockRejectedValueOnce(duplicate);
      await expect(service.pay(invoice.id, 1000, 'k')).rejects.toBe(duplicate);
      expect(repository.invoices.get(invoice.id)!.paidMinor).toBe(0);
      expect(repository.account(patientId)!.balanceMinor).toBe(5000);
    });

    it('announces a payment on an invoice that bills no appointment with an empty appointment_id', async () => {
      const invoice = await issueInvoice();
      invoice.appointmentId = null;
      await service.pay(invoice.id, 1000, 'k');
      expect(repository.events.filter((e) => e.event_type === 'PAYMENT_RECEIVED')).toEqual([
        expect.objectContaining({ invoice_id: invoice.id, appointment_id: '', amount_minor: 1000, invoice_paid_minor: 1000 }),
      ]);
    });

    it('refuses an overpayment, naming amount, and changes nothing', async () => {
      const invoice = await issueInvoice();
      await service.pay(invoice.id, 4000, 'k1');
      await expect(service.pay(invoice.id, 1001, 'k2')).rejects.toThrow(new OverpaymentError(1000));
      expect(repository.invoices.get(invoice.id)!.paidMinor).toBe(4000);
      expect(repository.account(patientId)!.balanceMinor).toBe(1000);
    });

    it('refuses any payment on a PAID invoice', async () => {
      const invoice = await issueInvoice();
      await service.pay(invoice.id, 5000, 'k1');
      await expect(service.pay(invoice.id, 1, 'k2')).rejects.toMatchObject({ field: 'amount', message: 'The invoice is already paid' });
    });

    it.each([
      [2500.5, 'k', 'amount'],
      ['2500', 'k', 'amount'],
      [0, 'k', 'amount'],
      [100, undefined, 'Idempotency-Key'],
      [100, '', 'Idempotency-Key'],
      [100, 'has space', 'Idempotency-Key'],
    ])('refuses amount %p with key %p (field %s)', async (amount, key, field) => {
      const invoice = await issueInvoice();
      await expect(service.pay(invoice.id, amount, key)).rejects.toMatchObject({ field, constructor: InvalidPaymentError });
      expect(repository.payments).toHaveLength(0);
    });

    it('reports an unknown invoice', async () => {
      await expect(service.pay('missing', 100, 'k')).rejects.toThrow(InvoiceNotFoundError);
    });
  });
});
