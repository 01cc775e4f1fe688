import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath } from '@pm/contracts';

/** Loads a service definition from `proto/`; both the server and its clients use this. */
export function loadServiceDefinition(protoFile: string, serviceName: string): grpc.ServiceClientConstructor {
  const packageDefinition = protoLoader.loadSync(protoPath(protoFile), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(packageDefinition);
  const service = serviceName.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], loaded);
  if (typeof service !== 'function') throw new Error(`Service ${serviceName} not found in ${protoFile}`);
  return service as grpc.ServiceClientConstructor;
}
