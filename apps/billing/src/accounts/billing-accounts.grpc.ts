import type { Metadata } from '@grpc/grpc-js';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, REQUEST_ID_HEADER, acceptRequestId } from '@pm/platform';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingRequest, BillingResponse } from '@pm/contracts';
import { GrpcServer, loadServiceDefinition } from '@pm/grpc';
import { PinoLogger } from 'nestjs-pino';
import type { BillingConfig } from '../config/billing.config';
import { InvalidBillingRequestError } from './billing-accounts.errors';
import { BillingAccountsService } from './billing-accounts.service';

/** The caller's request id from the call's metadata (checked like the HTTP header), or a new one. */
export function requestIdOf(metadata: Metadata | undefined): string {
  // The same acceptance rule as for the HTTP header: short and plain, or replaced.
  return acceptRequestId(metadata?.get(REQUEST_ID_HEADER)[0]);
}

/** The gRPC face of billing accounts: `/BillingService/CreateBillingAccount` (compat). */
@Injectable()
export class BillingAccountsGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BillingAccountsGrpcServer.name);
  private readonly server = new GrpcServer();
  boundPort?: number;

  constructor(
    private readonly accounts: BillingAccountsService,
    @Inject(APP_CONFIG) private readonly config: BillingConfig,
    private readonly pino: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server.addService(loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME), {
      CreateBillingAccount: (request: BillingRequest, metadata: Metadata) => this.createBillingAccount(request, metadata),
    });
    this.boundPort = await this.server.start(this.config.GRPC_HOST, this.config.GRPC_PORT);
    this.logger.log(`gRPC listening on ${this.config.GRPC_HOST}:${this.boundPort}`);
  }

  async createBillingAccount(request: BillingRequest, metadata?: Metadata): Promise<BillingResponse> {
    // Every line of this call carries the caller's request id, as HTTP log lines do.
    const log = this.pino.logger.child({ context: BillingAccountsGrpcServer.name, requestId: requestIdOf(metadata) });
    try {
      const account = await this.accounts.openAccount(request);
      // Ids only: the request's name and email are patient data.
      log.info({ patientId: account.patientId, accountId: account.id }, 'Billing account opened');
      return { accountId: account.id, status: account.status };
    } catch (error) {
      // Logged here for this call's request id; GrpcServer answers it (INVALID_ARGUMENT) like any DomainError.
      if (error instanceof InvalidBillingRequestError) log.warn({ code: error.code, field: error.field }, 'Billing account request refused');
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.stop();
  }
}
