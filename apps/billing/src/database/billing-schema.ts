import type { DatabaseSchema } from '@pm/platform';
import { BillingAccount } from '../accounts/billing-account.entity';
import { Invoice } from '../invoices/invoice.entity';
import { InvoiceLine } from '../invoices/invoice-line.entity';
import { Payment } from '../invoices/payment.entity';
import { CreateBillingAccounts1763900000000 } from './migrations/1763900000000-create-billing-accounts';
import { CreateInvoicesAndPayments1764000000000 } from './migrations/1764000000000-create-invoices-and-payments';
import { OutboxHeldEvents1765210000000 } from './migrations/1765210000000-outbox-held-events';

/** Billing's tables and the migrations that make them, in order. */
export const billingSchema: DatabaseSchema = {
  entities: [BillingAccount, Invoice, InvoiceLine, Payment],
  migrations: [CreateBillingAccounts1763900000000, CreateInvoicesAndPayments1764000000000, OutboxHeldEvents1765210000000],
};
