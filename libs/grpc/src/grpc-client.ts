import * as grpc from '@grpc/grpc-js';

export interface UnaryCallOptions {
  deadlineMs: number;
  metadata?: Record<string, string>;
}

/** Calls a unary method with a deadline, so a slow peer can never hold the caller. */
export function callUnary<Req, Res>(
  client: grpc.Client,
  method: string,
  request: Req,
  options: UnaryCallOptions,
): Promise<Res> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
  const fn: unknown = Reflect.get(client, method);
  if (typeof fn !== 'function') return Promise.reject(new Error(`No gRPC method ${method}`));
  return new Promise<Res>((resolve, reject) => {
    fn.call(
      client,
      request,
      metadata,
      { deadline: Date.now() + options.deadlineMs },
      (error: grpc.ServiceError | null, response: Res) => (error ? reject(error) : resolve(response)),
    );
  });
}

export function isGrpcError(error: unknown): error is grpc.ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && 'details' in error;
}
