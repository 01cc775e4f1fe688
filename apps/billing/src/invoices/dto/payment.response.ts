import { ApiProperty } from '@nestjs/swagger';
import { responseFields } from '@pm/platform';
import { Payment } from '../payment.entity';

export class PaymentResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  invoiceId: string;

  @ApiProperty({ type: 'integer', description: 'Minor units', example: 2500 })
  amountMinor: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ description: 'The Idempotency-Key the payment was taken with' })
  idempotencyKey: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  static from(payment: Payment): PaymentResponse {
    return responseFields(payment, ['id', 'invoiceId', 'amountMinor', 'currency', 'idempotencyKey', 'createdAt']);
  }
}
