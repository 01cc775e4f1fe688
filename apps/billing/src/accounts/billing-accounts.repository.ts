import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BillingAccount } from './billing-account.entity';

@Injectable()
export class BillingAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Opens the patient's account unless one exists, in one statement, so concurrent calls for
   * the same patient still end with exactly one account; returns the account either way.
   */
  async openOnce(patientId: string): Promise<BillingAccount> {
    await this.dataSource.query(
      `INSERT INTO billing_accounts (patient_id, status) VALUES ($1, 'ACTIVE')
       ON CONFLICT (patient_id) DO NOTHING`,
      [patientId],
    );
    return (await this.findByPatientId(patientId))!;
  }

  findByPatientId(patientId: string): Promise<BillingAccount | null> {
    return this.dataSource.getRepository(BillingAccount).findOneBy({ patientId });
  }
}
