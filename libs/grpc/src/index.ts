export * from './grpc-definitions';
export * from './grpc-server';
export * from './grpc-client';
