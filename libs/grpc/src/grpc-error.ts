import { status } from '@grpc/grpc-js';

/** An error a gRPC handler raises on purpose, with the status code the caller gets. */
export class GrpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }

  static invalidArgument(message: string) {
    return new GrpcError(status.INVALID_ARGUMENT, message);
  }

  static unavailable(message: string) {
    return new GrpcError(status.UNAVAILABLE, message);
  }
}
