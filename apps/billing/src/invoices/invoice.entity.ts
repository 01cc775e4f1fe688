import { Column, Entity, Index, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { minorUnits } from '../database/minor-units.transformer';
import { InvoiceLine } from './invoice-line.entity';

export const InvoiceStatuses = ['OPEN', 'PAID'] as const;
export type InvoiceStatus = (typeof InvoiceStatuses)[number];

@Entity({ name: 'invoices' })
@Index('uq_invoices_appointment_id', ['appointmentId'], { unique: true })
@Index('ix_invoices_patient_id_issued_at', ['patientId', 'issuedAt'])
@Index('ix_invoices_account_id', ['accountId'])
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Column({ name: 'appointment_id', type: 'uuid', nullable: true })
  appointmentId: string | null;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'total_minor', type: 'bigint', transformer: minorUnits })
  totalMinor: number;

  @Column({ name: 'paid_minor', type: 'bigint', transformer: minorUnits })
  paidMinor: number;

  @Column({ type: 'varchar', length: 16 })
  status: InvoiceStatus;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt: Date;

  @OneToMany(() => InvoiceLine, (line) => line.invoice)
  lines?: Relation<InvoiceLine>[];
}
