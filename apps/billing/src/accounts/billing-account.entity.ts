import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
