import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { minorUnits } from '../database/minor-units.transformer';

export const BillingAccountStatuses = ['ACTIVE', 'SUSPENDED', 'CLOSED'] as const;
export type BillingAccountStatus = (typeof BillingAccountStatuses)[number];

@Entity({ name: 'billing_accounts' })
@Index('uq_billing_accounts_patient_id', ['patientId'], { unique: true })
export class BillingAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ type: 'varchar', length: 32 })
  status: BillingAccountStatus;

  /** What the patient owes: open invoice totals minus what was paid on them. */
  @Column({ name: 'balance_minor', type: 'bigint', transformer: minorUnits })
  balanceMinor: number;

  /** Set by the first invoice; null while the account has never been billed. */
  @Column({ type: 'char', length: 3, nullable: true })
  currency: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
