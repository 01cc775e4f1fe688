import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BillingAccount } from './billing-account.entity';

@Injectable()
export class BillingAccountsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Opens the patient's account unless one exists, in one statement, so concurrent calls for
   * the same patient still end with exactly one account; returns the account either way.
   * `manager` runs it inside the caller's transaction (invoicing opens accounts the same way).
   */
  async openOnce(patientId: string, manager: EntityManager = this.dataSource.manager): Promise<BillingAccount> {
    await manager.query(
      `INSERT INTO billing_accounts (patient_id, status) VALUES ($1, 'ACTIVE')
       ON CONFLICT (patient_id) DO NOTHING`,
      [patientId],
    );
    return (await manager.getRepository(BillingAccount).findOneBy({ patientId }))!;
  }

  findByPatientId(patientId: string): Promise<BillingAccount | null> {
    return this.dataSource.getRepository(BillingAccount).findOneBy({ patientId });
  }
}
