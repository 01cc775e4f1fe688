/** Messages of `BillingService` (proto/billing_service.proto, no proto package). */
export interface BillingRequest {
  patientId: string;
  name: string;
  email: string;
}

export interface BillingResponse {
  accountId: string;
  status: string;
}

export const BILLING_SERVICE_PROTO = 'billing_service.proto';
export const BILLING_SERVICE_NAME = 'BillingService';
