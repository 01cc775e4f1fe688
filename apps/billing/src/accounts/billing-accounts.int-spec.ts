import * as grpc from '@grpc/grpc-js';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@pm/config';
import { BILLING_SERVICE_NAME, BILLING_SERVICE_PROTO, BillingResponse } from '@pm/contracts';
import { callUnary, loadServiceDefinition } from '@pm/grpc';
import { recreateDatabase } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { AppModule } from '../app.module';
import { billingConfigSchema } from '../config/billing.config';
import { BillingAccountsGrpcServer } from './billing-accounts.grpc';

describe('billing accounts over gRPC and HTTP (real PostgreSQL)', () => {
  let app: INestApplication;
  let client: grpc.Client;
  let baseUrl: string;

  beforeAll(async () => {
    const database = await recreateDatabase('billing_int_test');
    const config = loadConfig(billingConfigSchema, 'billing', {
      ...database,
      HTTP_PORT: '1',
      GRPC_PORT: '0',
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
    const grpcPort = app.get(BillingAccountsGrpcServer).boundPort!;
    const BillingService = loadServiceDefinition(BILLING_SERVICE_PROTO, BILLING_SERVICE_NAME);
    client = new BillingService(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
  });

  const create = (request: object) =>
    callUnary<object, BillingResponse>(client, 'CreateBillingAccount', request, { deadlineMs: 5000 });

  it('opens an ACTIVE account and returns the same accountId on every later call', async () => {
    const patientId = randomUUID();
    const first = await create({ patientId, name: 'Jane Roe', email: 'jane@example.com' });
    const second = await create({ patientId, name: 'Jane Roe', email: 'jane@example.com' });
    expect(first.status).toBe('ACTIVE');
    expect(first.accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.accountId).toBe(first.accountId);
  });

  it('keeps exactly one account when many calls for one patient race', async () => {
    const patientId = randomUUID();
    const results = await Promise.all(Array.from({ length: 10 }, () => create({ patientId, name: 'A', email: 'a@b.c' })));
    expect(new Set(results.map((r) => r.accountId)).size).toBe(1);
  });

  it('answers INVALID_ARGUMENT, not INTERNAL, for a bad patientId', async () => {
    await expect(create({ patientId: 'nope', name: 'x', email: 'y' })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    await expect(create({ name: 'x' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });

  it('serves the account over HTTP and 404s an unknown patient', async () => {
    const patientId = randomUUID();
    const { accountId } = await create({ patientId, name: 'B', email: 'b@c.d' });
    const found = await fetch(`${baseUrl}/billing/accounts/${patientId}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ accountId, patientId, status: 'ACTIVE' });

    const missing = await fetch(`${baseUrl}/billing/accounts/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
