import { ApiProperty } from '@nestjs/swagger';
import { Money } from '../../money/money';
import { BillingAccount, BillingAccountStatuses } from '../billing-account.entity';

export class MoneyResponse {
  @ApiProperty({ type: 'integer', description: 'Integer minor units (2500 means 25.00)', example: 2500 })
  amountMinor: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  currency: string;
}

export class BillingAccountResponse {
  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ format: 'uuid' })
  patientId: string;

  @ApiProperty({ enum: BillingAccountStatuses })
  status: string;

  @ApiProperty({ type: MoneyResponse, description: 'What the patient owes: open invoices minus payments on them' })
  balance: MoneyResponse;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static from(account: BillingAccount, balance: Money): BillingAccountResponse {
    return {
      accountId: account.id,
      patientId: account.patientId,
      status: account.status,
      balance: balance.toJSON(),
      createdAt: account.createdAt.toISOString(),
    };
  }
}
