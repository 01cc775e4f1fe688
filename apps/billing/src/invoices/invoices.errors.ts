import { DomainError, FieldError } from '@pm/platform';

/** A payment request the caller must fix, naming the field (amount, Idempotency-Key). */
export class InvalidPaymentError extends FieldError {
  static readonly spec = { code: 'INVOICE_PAYMENT_INVALID', status: 400, description: 'Idempotency-Key missing or malformed, or amount not a positive integer of minor units' };
}

/** A payment that contradicts the invoice's state, naming the field; each reason has its code. */
export abstract class PaymentRefusedError extends FieldError {}

export class InvoiceAlreadyPaidError extends PaymentRefusedError {
  static readonly spec = { code: 'INVOICE_ALREADY_PAID', status: 409, description: 'The invoice is already paid' };

  constructor() {
    super('amount', 'The invoice is already paid');
  }
}

export class OverpaymentError extends PaymentRefusedError {
  static readonly spec = { code: 'INVOICE_OVERPAYMENT', status: 409, description: 'The amount exceeds what is still owed' };

  constructor(remainingMinor: number) {
    super('amount', `amount must not exceed the ${remainingMinor} minor units still owed`);
  }
}

export class PaymentKeyReusedError extends PaymentRefusedError {
  static readonly spec = { code: 'INVOICE_PAYMENT_KEY_REUSED', status: 409, description: 'The Idempotency-Key was already used for a different amount' };

  constructor() {
    super('Idempotency-Key', 'This Idempotency-Key was already used for a different amount');
  }
}

export class InvoiceNotFoundError extends DomainError {
  static readonly spec = { code: 'INVOICE_NOT_FOUND', status: 404, description: 'No invoice has this id' };

  constructor(readonly invoiceId: string) {
    super(`No invoice ${invoiceId}`);
  }
}

export const InvoiceErrors = {
  InvalidPayment: InvalidPaymentError,
  AlreadyPaid: InvoiceAlreadyPaidError,
  Overpayment: OverpaymentError,
  PaymentKeyReused: PaymentKeyReusedError,
  NotFound: InvoiceNotFoundError,
} as const;
