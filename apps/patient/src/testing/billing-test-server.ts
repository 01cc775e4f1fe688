import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingRequest, BillingResponse } from '@pm/contracts';
import { GrpcServer, loadServiceDefinition } from '@pm/grpc';

export interface RecordedBillingCall {
  request: BillingRequest;
  requestId: string | undefined;
}

/**
 * A real gRPC BillingService for integration tests: it records every call and can be told to
 * hang, as a stuck billing would.
 */
export class BillingTestServer {
  readonly calls: RecordedBillingCall[] = [];
  hang = false;
  port = 0;
  private server?: GrpcServer;

  async start(): Promise<this> {
    this.server = new GrpcServer().addService(loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME), {
      CreateBillingAccount: async (request: BillingRequest, metadata): Promise<BillingResponse> => {
        this.calls.push({ request, requestId: metadata.get('x-request-id')[0]?.toString() });
        if (this.hang) await new Promise((resolve) => setTimeout(resolve, 30_000).unref());
        return { accountId: `account-${request.patientId}`, status: 'ACTIVE' };
      },
    });
    this.port = await this.server.start('127.0.0.1', 0);
    return this;
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  callsFor(patientId: string): RecordedBillingCall[] {
    return this.calls.filter((call) => call.request.patientId === patientId);
  }

  async stop(): Promise<void> {
    await this.server?.stop(100);
    this.server = undefined;
  }
}
