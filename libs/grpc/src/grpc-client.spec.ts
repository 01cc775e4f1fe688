import { status } from '@grpc/grpc-js';
import { isGrpcError } from './grpc-client';
import { loadServiceDefinition } from './grpc-definitions';

describe('isGrpcError', () => {
  it('recognises a service error by its code and details, and nothing else', () => {
    expect(isGrpcError(Object.assign(new Error('x'), { code: status.INTERNAL, details: 'Internal error' }))).toBe(true);
    expect(isGrpcError(new Error('plain'))).toBe(false);
    expect(isGrpcError(Object.assign(new Error('db'), { code: '23505' }))).toBe(false);
    expect(isGrpcError(null)).toBe(false);
    expect(isGrpcError('UNAVAILABLE')).toBe(false);
  });
});

describe('loadServiceDefinition', () => {
  it('loads a service of proto/ with its methods', () => {
    const BillingService = loadServiceDefinition('billing_service.proto', 'BillingService');
    expect(Object.keys(BillingService.service)).toEqual(['CreateBillingAccount']);
    expect(BillingService.service.CreateBillingAccount.path).toBe('/BillingService/CreateBillingAccount');
  });

  it('names the service and file it cannot find', () => {
    expect(() => loadServiceDefinition('billing_service.proto', 'billing.NoSuchService')).toThrow(
      'Service billing.NoSuchService not found in billing_service.proto',
    );
  });
});
