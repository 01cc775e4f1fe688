import { ApiProperty } from '@nestjs/swagger';
import { responseFields } from '@pm/platform';
import { InvoiceLine } from '../invoice-line.entity';
import { Invoice, InvoiceStatuses } from '../invoice.entity';

export class InvoiceLineResponse {
  @ApiProperty({ example: 'Appointment 2026-11-23' })
  description: string;

  @ApiProperty({ type: 'integer', example: 1 })
  quantity: number;

  @ApiProperty({ type: 'integer', description: 'Minor units', example: 5000 })
  unitPriceMinor: number;

  @ApiProperty({ type: 'integer', description: 'quantity × unit price, minor units', example: 5000 })
  amountMinor: number;

  static from(line: InvoiceLine): InvoiceLineResponse {
    return responseFields(line, ['description', 'quantity', 'unitPriceMinor', 'amountMinor']);
  }
}

export class InvoiceResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ format: 'uuid' })
  patientId: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The appointment this invoice bills, if any' })
  appointmentId: string | null;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  currency: string;

  @ApiProperty({ type: 'integer', description: 'Minor units', example: 5000 })
  totalMinor: number;

  @ApiProperty({ type: 'integer', description: 'Minor units paid so far', example: 2500 })
  paidMinor: number;

  @ApiProperty({ type: 'integer', description: 'Minor units still owed', example: 2500 })
  remainingMinor: number;

  @ApiProperty({ enum: InvoiceStatuses })
  status: string;

  @ApiProperty({ type: [InvoiceLineResponse] })
  lines: InvoiceLineResponse[];

  @ApiProperty({ format: 'date-time' })
  issuedAt: string;

  static from(invoice: Invoice): InvoiceResponse {
    return {
      ...responseFields(invoice, ['id', 'accountId', 'patientId', 'appointmentId', 'currency', 'totalMinor', 'paidMinor']),
      remainingMinor: invoice.totalMinor - invoice.paidMinor,
      status: invoice.status,
      lines: (invoice.lines ?? []).map((line) => InvoiceLineResponse.from(line)),
      issuedAt: invoice.issuedAt.toISOString(),
    };
  }
}

export class InvoiceListResponse {
  @ApiProperty({ type: [InvoiceResponse] })
  invoices: InvoiceResponse[];
}
