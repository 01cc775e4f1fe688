import * as grpc from '@grpc/grpc-js';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, REQUEST_ID_HEADER, metricsRegistry } from '@pm/platform';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingRequest, BillingResponse } from '@pm/contracts';
import { callUnary, loadServiceDefinition } from '@pm/grpc';
import CircuitBreaker from 'opossum';
import { Counter } from 'prom-client';
import type { PatientConfig } from '../config/patient.config';

/** What a registration got: the account now (`opened`), or its recorded request left queued on `billing-account`. */
export type BillingOutcome = { opened: true; account: BillingResponse } | { opened: false };

const RETRY_DELAYS_MS = [100, 300];

const outcomes = new Counter({
  name: 'patient_billing_account_requests_total',
  help: 'Billing accounts asked for at registration, by outcome (opened over gRPC, or left queued for billing-account)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * The patient service's one way to billing: `/BillingService/CreateBillingAccount` (compat), each
 * call bounded by the deadline, retried with back-off while billing is UNAVAILABLE, behind a
 * circuit breaker (opossum) so an outage costs one fast failure, not a wait per registration.
 * It only calls billing: the account request a registration records as a fallback, and its
 * withdrawal once billing confirms, belong to the registration (RegistrationService).
 */
@Injectable()
export class BillingClient implements OnApplicationShutdown {
  private readonly logger = new Logger(BillingClient.name);
  private readonly breaker: CircuitBreaker<[BillingRequest, string], BillingResponse>;
  private client?: grpc.Client;

  constructor(
    @Inject(APP_CONFIG)
    private readonly config: Pick<PatientConfig, 'BILLING_GRPC_URL' | 'BILLING_GRPC_DEADLINE_MS'>,
  ) {
    this.breaker = new CircuitBreaker((request: BillingRequest, requestId: string) => this.callWithRetries(request, requestId), {
      // The deadline bounds each attempt; opossum's own timer is off so it never races it.
      timeout: false,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      rollingCountTimeout: 10_000,
      resetTimeout: 5_000,
    });
    this.breaker.on('open', () => this.logger.warn('Billing circuit opened: registrations queue billing-account requests'));
    this.breaker.on('close', () => this.logger.log('Billing circuit closed'));
  }

  get circuitOpen(): boolean {
    return this.breaker.opened;
  }

  /**
   * Opens the account over gRPC. Never throws for an unreachable billing: `opened` is false and
   * the registration's recorded request stays queued.
   */
  async openAccount(request: BillingRequest, requestId: string): Promise<BillingOutcome> {
    let response: BillingResponse;
    try {
      response = await this.breaker.fire(request, requestId);
    } catch (error) {
      const { code } = error as { code?: unknown };
      // The id and status code only: nothing that could carry the patient's name or email.
      this.logger.warn({ patientId: request.patientId, grpcCode: code, circuitOpen: this.breaker.opened }, 'Billing unreachable; the account request stays queued');
      outcomes.inc({ outcome: 'queued' });
      return { opened: false };
    }
    outcomes.inc({ outcome: 'opened' });
    return { opened: true, account: response };
  }

  private async callWithRetries(request: BillingRequest, requestId: string): Promise<BillingResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await callUnary<BillingRequest, BillingResponse>(this.channel(), 'CreateBillingAccount', request, {
          deadlineMs: this.config.BILLING_GRPC_DEADLINE_MS,
          metadata: { [REQUEST_ID_HEADER]: requestId },
        });
      } catch (error) {
        // Only UNAVAILABLE is worth another try; a deadline already cost the caller its budget.
        const unavailable = (error as { code?: number }).code === grpc.status.UNAVAILABLE;
        if (!unavailable || attempt >= RETRY_DELAYS_MS.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      }
    }
  }

  private channel(): grpc.Client {
    if (!this.client) {
      const BillingService = loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME);
      this.client = new BillingService(this.config.BILLING_GRPC_URL, grpc.credentials.createInsecure());
    }
    return this.client;
  }

  onApplicationShutdown(): void {
    this.breaker.shutdown();
    this.client?.close();
  }
}
