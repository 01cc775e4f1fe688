import * as grpc from '@grpc/grpc-js';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingRequest, BillingResponse } from '@pm/contracts';
import { REQUEST_ID_HEADER } from '@pm/logging';
import { callUnary, loadServiceDefinition } from '@pm/grpc';
import type { PatientConfig } from '../config/patient.config';

/**
 * The patient service's one way to billing: `/BillingService/CreateBillingAccount` (compat) over
 * one channel, every call bounded by the configured deadline.
 */
@Injectable()
export class BillingClient implements OnApplicationShutdown {
  private client?: grpc.Client;

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<PatientConfig, 'BILLING_GRPC_URL' | 'BILLING_GRPC_DEADLINE_MS'>) {}

  /** Idempotent on billing's side: the same patient always gets the same account. */
  openAccount(request: BillingRequest, requestId: string): Promise<BillingResponse> {
    return callUnary<BillingRequest, BillingResponse>(this.channel(), 'CreateBillingAccount', request, {
      deadlineMs: this.config.BILLING_GRPC_DEADLINE_MS,
      metadata: { [REQUEST_ID_HEADER]: requestId },
    });
  }

  private channel(): grpc.Client {
    if (!this.client) {
      const BillingService = loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME);
      this.client = new BillingService(this.config.BILLING_GRPC_URL, grpc.credentials.createInsecure());
    }
    return this.client;
  }

  onApplicationShutdown(): void {
    this.client?.close();
  }
}
