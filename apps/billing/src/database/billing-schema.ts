import type { DatabaseSchema } from '@pm/database';
import { BillingAccount } from '../accounts/billing-account.entity';
import { CreateBillingAccounts1763900000000 } from './migrations/1763900000000-create-billing-accounts';

/** Billing's tables and the migrations that make them, in order. */
export const billingSchema: DatabaseSchema = {
  entities: [BillingAccount],
  migrations: [CreateBillingAccounts1763900000000],
};
