import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Access } from '@pm/auth-tokens';
import { ApiErrors } from '@pm/platform';
import type { Response } from 'express';
import { InvoiceListResponse, InvoiceResponse } from './dto/invoice.response';
import { InvoicesQuery } from './dto/invoices.query';
import { PayInvoiceRequest } from './dto/pay-invoice.request';
import { PaymentResponse } from './dto/payment.response';
import { InvoiceErrors, InvoiceNotFoundError } from './invoices.errors';
import { InvoicesService } from './invoices.service';

/** Who may do what (contract): billing is ADMIN's and BILLING's alone. */
@ApiTags('invoices')
@ApiBearerAuth()
@Controller('billing/invoices')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  @Access('GET /billing/invoices')
  @ApiOperation({ summary: "A patient's invoices, oldest first, with their lines" })
  @ApiOkResponse({ type: InvoiceListResponse })
  @ApiBadRequestResponse({ description: 'patientId missing or not a UUID' })
  async byPatient(@Query() query: InvoicesQuery): Promise<InvoiceListResponse> {
    const invoices = await this.invoices.findByPatient(query.patientId);
    return { invoices: invoices.map((invoice) => InvoiceResponse.from(invoice)) };
  }

  @Get(':id')
  @Access('GET /billing/invoices/{id}')
  @ApiOperation({ summary: 'One invoice with its lines' })
  @ApiOkResponse({ type: InvoiceResponse })
  @ApiNotFoundResponse({ description: 'No such invoice' })
  @ApiErrors(InvoiceErrors.NotFound)
  async byId(@Param('id', new ParseUUIDPipe()) id: string): Promise<InvoiceResponse> {
    const invoice = await this.invoices.findById(id);
    if (!invoice) throw new InvoiceNotFoundError(id);
    return InvoiceResponse.from(invoice);
  }

  @Post(':id/payments')
  @HttpCode(HttpStatus.CREATED)
  @Access('POST /billing/invoices/{id}/payments')
  @ApiOperation({
    summary: 'Pay an invoice, in full or in part, once per Idempotency-Key',
    description: 'Repeating a request with the same Idempotency-Key returns the original payment (200) and charges nothing more.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Client-chosen key (e.g. a UUID); the same key is the same payment' })
  @ApiCreatedResponse({ type: PaymentResponse, description: 'Payment taken' })
  @ApiOkResponse({ type: PaymentResponse, description: 'This Idempotency-Key was used before: the original payment' })
  @ApiBadRequestResponse({ description: 'Idempotency-Key missing, or amount not a positive integer of minor units' })
  @ApiNotFoundResponse({ description: 'No such invoice' })
  @ApiConflictResponse({ description: 'Overpayment, an invoice already paid, or a key reused for another amount' })
  @ApiErrors(InvoiceErrors.InvalidPayment, InvoiceErrors.NotFound, InvoiceErrors.AlreadyPaid, InvoiceErrors.Overpayment, InvoiceErrors.PaymentKeyReused)
  async pay(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: PayInvoiceRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PaymentResponse> {
    const { payment, created } = await this.invoices.pay(id, body.amount, idempotencyKey);
    if (!created) response.status(HttpStatus.OK);
    return PaymentResponse.from(payment);
  }
}
