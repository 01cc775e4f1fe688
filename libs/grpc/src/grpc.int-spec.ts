import * as grpc from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO } from '@pm/contracts';
import { callUnary, isGrpcError } from './grpc-client';
import { loadServiceDefinition } from './grpc-definitions';
import { DomainError } from '@pm/platform';
import { GrpcServer, UnaryHandler } from './grpc-server';

jest.setTimeout(20_000);

interface BillingRequest {
  patientId: string;
  name: string;
  email: string;
}
interface BillingResponse {
  accountId: string;
  status: string;
}

/** A billing service over a real port, with the project's proto, whose behaviour each test sets. */
describe('GrpcServer and callUnary (a real port, proto/billing_service.proto)', () => {
  const BillingService = loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME);
  let server: GrpcServer;
  let client: grpc.Client;
  let handle: UnaryHandler<BillingRequest, BillingResponse>;
  const received: { request: BillingRequest; requestId: unknown }[] = [];

  const call = (request: Partial<BillingRequest>, options: { deadlineMs?: number; metadata?: Record<string, string> } = {}) =>
    callUnary<Partial<BillingRequest>, BillingResponse>(client, 'CreateBillingAccount', request, { deadlineMs: 5000, ...options });

  const failureOf = async (promise: Promise<unknown>): Promise<grpc.ServiceError> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isGrpcError(error)) throw new Error(`expected a gRPC error, got ${String(error)}`);
    return error;
  };

  beforeAll(async () => {
    server = new GrpcServer().addService(BillingService, {
      CreateBillingAccount: (request: BillingRequest, metadata: grpc.Metadata) => {
        received.push({ request, requestId: metadata.get('x-request-id')[0] });
        return handle(request, metadata);
      },
    });
    const port = await server.start('127.0.0.1', 0);
    expect(port).toBeGreaterThan(0);
    client = new BillingService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await server?.stop(1000);
  });

  beforeEach(() => {
    received.length = 0;
  });

  afterEach(() => jest.restoreAllMocks());

  it('carries the request (field names as in the proto), its metadata and the response across', async () => {
    handle = async (request) => ({ accountId: `account-of-${request.patientId}`, status: 'ACTIVE' });
    const response = await call(
      { patientId: '123e4567-e89b-12d3-a456-426614174000', name: 'Jane Roe', email: 'jane@example.com' },
      { metadata: { 'x-request-id': 'req-42' } },
    );
    expect(response).toEqual({ accountId: 'account-of-123e4567-e89b-12d3-a456-426614174000', status: 'ACTIVE' });
    expect(received).toEqual([
      { request: { patientId: '123e4567-e89b-12d3-a456-426614174000', name: 'Jane Roe', email: 'jane@example.com' }, requestId: 'req-42' },
    ]);
  });

  it('fills fields the caller left out with proto3 defaults', async () => {
    handle = async () => ({ accountId: 'a', status: '' });
    await expect(call({ patientId: 'p' })).resolves.toEqual({ accountId: 'a', status: '' });
    expect(received[0].request).toEqual({ patientId: 'p', name: '', email: '' });
  });

  it('answers a DomainError with its gRPC status and its detail', async () => {
    class InvalidPatientId extends DomainError {
      static readonly spec = { code: 'TEST_INVALID_PATIENT_ID', status: 400, description: 'a bad id' };
    }
    class DatabaseDown extends DomainError {
      static readonly spec = { code: 'TEST_DATABASE_DOWN', status: 503, description: 'down' };
    }
    class AlreadyThere extends DomainError {
      static readonly spec = { code: 'TEST_ALREADY_THERE', status: 409, grpcStatus: grpc.status.ALREADY_EXISTS, description: 'there' };
    }
    handle = async () => {
      throw new InvalidPatientId('patientId must be a UUID');
    };
    const invalid = await failureOf(call({ patientId: 'nope' }));
    expect([invalid.code, invalid.details]).toEqual([grpc.status.INVALID_ARGUMENT, 'patientId must be a UUID']);

    handle = async () => {
      throw new DatabaseDown('database unavailable');
    };
    const unavailable = await failureOf(call({ patientId: 'p' }));
    expect([unavailable.code, unavailable.details]).toEqual([grpc.status.UNAVAILABLE, 'database unavailable']);

    handle = async () => {
      throw new AlreadyThere('already there');
    };
    expect((await failureOf(call({ patientId: 'p' }))).code).toBe(grpc.status.ALREADY_EXISTS);
  });

  it('answers any other error INTERNAL without its detail, and logs only a safe summary', async () => {
    const logged: unknown[][] = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
    handle = async () => {
      throw Object.assign(new Error('insert failed'), { parameters: ['Jane Roe', 'jane@example.com'], code: '23502' });
    };
    const failure = await failureOf(call({ patientId: 'p', name: 'Jane Roe' }));
    expect([failure.code, failure.details]).toEqual([grpc.status.INTERNAL, 'Internal error']);
    expect(logged).toHaveLength(1);
    const [details, message] = logged[0] as [{ method: string; error: Record<string, unknown> }, string];
    expect(message).toBe('gRPC handler failed');
    expect(details.method).toBe('CreateBillingAccount');
    expect(details.error).toMatchObject({ type: 'Error', message: 'insert failed', code: '23502' });
    expect(JSON.stringify(logged)).not.toContain('Jane Roe');
  });

  it('gives up at the deadline with DEADLINE_EXCEEDED, however long the server takes', async () => {
    let finish!: () => void;
    handle = () =>
      new Promise((resolve) => {
        finish = () => resolve({ accountId: 'late', status: 'ACTIVE' });
      });
    const started = Date.now();
    const failure = await failureOf(call({ patientId: 'p' }, { deadlineMs: 150 }));
    const waited = Date.now() - started;
    finish();
    expect(failure.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(2000);
  });

  it('refuses a method the service does not have, without calling anything', async () => {
    await expect(callUnary(client, 'DeleteEverything', {}, { deadlineMs: 1000 })).rejects.toThrow('No gRPC method DeleteEverything');
    expect(received).toEqual([]);
  });

  it('answers UNAVAILABLE once the server has stopped', async () => {
    const other = new GrpcServer().addService(BillingService, {
      CreateBillingAccount: async () => ({ accountId: 'x', status: 'ACTIVE' }),
    });
    const port = await other.start('127.0.0.1', 0);
    const otherClient = new BillingService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    try {
      await expect(callUnary(otherClient, 'CreateBillingAccount', { patientId: 'p' }, { deadlineMs: 2000 })).resolves.toEqual({
        accountId: 'x',
        status: 'ACTIVE',
      });
      await other.stop(500);
      const failure = await failureOf(callUnary(otherClient, 'CreateBillingAccount', { patientId: 'p' }, { deadlineMs: 2000 }));
      expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]).toContain(failure.code);
    } finally {
      otherClient.close();
    }
  });
});
