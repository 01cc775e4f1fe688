import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Transaction } from '@pm/platform';
import { DataSource } from 'typeorm';
import { BillingAccount } from './billing-account.entity';

@Injectable()
export class BillingAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Opens the patient's account unless one exists, in one statement, so concurrent calls for
   * the same patient still end with exactly one account; returns the account either way.
   * Joins `tx` when given (invoicing opens accounts the same way, inside its transaction).
   */
  async openOnce(patientId: string, tx: Transaction = this.dataSource.manager): Promise<BillingAccount> {
    await tx.query(
      `INSERT INTO billing_accounts (patient_id, status) VALUES ($1, 'ACTIVE')
       ON CONFLICT (patient_id) DO NOTHING`,
      [patientId],
    );
    return (await tx.getRepository(BillingAccount).findOneBy({ patientId }))!;
  }

  /** Adds `deltaMinor` (negative for a payment) to what the patient owes; sets a first currency. */
  async changeBalance(accountId: string, deltaMinor: number, currency: string, tx: Transaction): Promise<void> {
    // Relative update: concurrent changes to one account add up instead of overwriting each other.
    await tx.query(
      'UPDATE billing_accounts SET balance_minor = balance_minor + $2, currency = COALESCE(currency, $3) WHERE id = $1',
      [accountId, deltaMinor, currency],
    );
  }

  findByPatientId(patientId: string): Promise<BillingAccount | null> {
    return this.dataSource.getRepository(BillingAccount).findOneBy({ patientId });
  }
}
