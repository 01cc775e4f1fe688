import { ApiProperty } from '@nestjs/swagger';
import { BillingAccount, BillingAccountStatuses } from '../billing-account.entity';

export class BillingAccountResponse {
  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ format: 'uuid' })
  patientId: string;

  @ApiProperty({ enum: BillingAccountStatuses })
  status: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static from(account: BillingAccount): BillingAccountResponse {
    return {
      accountId: account.id,
      patientId: account.patientId,
      status: account.status,
      createdAt: account.createdAt.toISOString(),
    };
  }
}
