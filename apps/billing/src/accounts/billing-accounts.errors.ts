import { DomainError, FieldError } from '@pm/platform';

/** A request to open an account the caller must fix, naming the field (over gRPC: INVALID_ARGUMENT). */
export class InvalidBillingRequestError extends FieldError {
  static readonly spec = { code: 'BILLING_ACCOUNT_REQUEST_INVALID', status: 400, description: 'patientId missing or not a UUID' };
}

export class BillingAccountNotFoundError extends DomainError {
  static readonly spec = { code: 'BILLING_ACCOUNT_NOT_FOUND', status: 404, description: 'The patient has no billing account' };

  constructor(patientId: string) {
    super(`No billing account for patient ${patientId}`);
  }
}

export const BillingAccountErrors = { InvalidRequest: InvalidBillingRequestError, NotFound: BillingAccountNotFoundError } as const;
