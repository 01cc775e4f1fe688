import * as grpc from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { safeErrorSummary, DomainError } from '@pm/platform';

export type UnaryHandler<Req, Res> = (request: Req, metadata: grpc.Metadata) => Promise<Res>;

/**
 * A gRPC server whose handlers are plain async functions. Errors become status codes in one
 * place: a DomainError answers its gRPC status with its detail (the same words as its HTTP
 * problem); anything else is logged and answered INTERNAL without detail.
 */
export class GrpcServer {
  private readonly logger = new Logger(GrpcServer.name);
  private readonly server = new grpc.Server();

  // Each method has request and response types of its own; the server only forwards them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addService<S extends Record<string, UnaryHandler<any, any>>>(definition: grpc.ServiceClientConstructor, handlers: S): this {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [method, handler] of Object.entries(handlers)) {
      implementation[method] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        handler(call.request, call.metadata).then(
          (response) => callback(null, response),
          (error: unknown) => callback(this.toServiceError(method, error)),
        );
      };
    }
    this.server.addService(definition.service, implementation);
    return this;
  }

  /** Binds and starts; resolves with the bound port (useful when asked for port 0). */
  start(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      );
    });
  }

  stop(graceMs = 5000): Promise<void> {
    return new Promise((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private toServiceError(method: string, error: unknown): Partial<grpc.ServiceError> {
    if (error instanceof DomainError) return { code: error.grpcStatus, details: error.detail, message: error.detail };
    this.logger.error({ error: safeErrorSummary(error), method }, 'gRPC handler failed');
    return { code: grpc.status.INTERNAL, details: 'Internal error' };
  }
}
