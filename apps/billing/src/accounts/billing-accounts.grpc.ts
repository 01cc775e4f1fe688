import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingRequest, BillingResponse } from '@pm/contracts';
import { GrpcError, GrpcServer, loadServiceDefinition } from '@pm/grpc';
import type { BillingConfig } from '../config/billing.config';
import { BillingAccountsService, InvalidBillingRequestError } from './billing-accounts.service';

/** The gRPC face of billing accounts: `/BillingService/CreateBillingAccount` (compat). */
@Injectable()
export class BillingAccountsGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BillingAccountsGrpcServer.name);
  private readonly server = new GrpcServer();
  boundPort?: number;

  constructor(
    private readonly accounts: BillingAccountsService,
    @Inject(APP_CONFIG) private readonly config: BillingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.server.addService(loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME), {
      CreateBillingAccount: (request: BillingRequest) => this.createBillingAccount(request),
    });
    this.boundPort = await this.server.start(this.config.GRPC_HOST, this.config.GRPC_PORT);
    this.logger.log(`gRPC listening on ${this.config.GRPC_HOST}:${this.boundPort}`);
  }

  async createBillingAccount(request: BillingRequest): Promise<BillingResponse> {
    try {
      const account = await this.accounts.openAccount(request);
      return { accountId: account.id, status: account.status };
    } catch (error) {
      if (error instanceof InvalidBillingRequestError) throw GrpcError.invalidArgument(error.message);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server.stop();
  }
}
