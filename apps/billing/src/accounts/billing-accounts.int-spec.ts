import * as grpc from '@grpc/grpc-js';
import { buildOpenApiDocument } from '@pm/platform';
import { BillingResponse, Topics, encodeBillingAccountEvent } from '@pm/contracts';
import { callUnary } from '@pm/grpc';
import { waitFor, itHonoursTokenRevocation, itAnswersEveryCaller } from '@pm/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { useBillingApp } from '../testing/billing-test-app';

// A second app boots mid-test; its Kafka consumer joins and leaves a group, which takes seconds.
jest.setTimeout(30_000);

describe('billing accounts over gRPC and HTTP (real PostgreSQL, Redis and JWKS)', () => {
  const t = useBillingApp('billing_int_test');

  /** GET as a role (BILLING by default), or with no token at all (null). */
  const get = async (path: string, role: string | null = 'BILLING') =>
    fetch(`${t.baseUrl}${path}`, { headers: role ? { authorization: await t.issuer.bearer(role) } : {} });

  const create = (request: object) =>
    callUnary<object, BillingResponse>(t.grpcClient, 'CreateBillingAccount', request, { deadlineMs: 5000 });

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

  it('answers a refused request with the same words over gRPC as its problem detail', async () => {
    await expect(create({ patientId: 'nope', name: 'x', email: 'y' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'patientId must be a UUID' });
  });

  it('names a missing account BILLING_ACCOUNT_NOT_FOUND', async () => {
    const patientId = randomUUID();
    expect(await (await get(`/billing/accounts/${patientId}`)).json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `No billing account for patient ${patientId}`,
      code: 'BILLING_ACCOUNT_NOT_FOUND',
    });
  });

  it('serves the account over HTTP and 404s an unknown patient', async () => {
    const patientId = randomUUID();
    const { accountId } = await create({ patientId, name: 'B', email: 'b@c.d' });
    const found = await get(`/billing/accounts/${patientId}`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ accountId, patientId, status: 'ACTIVE', balance: { amountMinor: 0, currency: 'EUR' } });

    const missing = await get(`/billing/accounts/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  describe('who may do what, straight at the service', () => {
    let patientId: string;

    beforeAll(async () => {
      patientId = randomUUID();
      await create({ patientId, name: 'C', email: 'c@d.e' });
    });

    itAnswersEveryCaller([{ route: 'GET /billing/accounts/:patientId', allowed: ['ADMIN', 'BILLING'], success: 200 }], () => t.issuer, (_route, authorization) =>
      fetch(`${t.baseUrl}/billing/accounts/${patientId}`, { headers: authorization ? { authorization } : {} }),
    );

    itHonoursTokenRevocation(() => ({
      issuer: t.issuer,
      role: 'BILLING',
      call: (authorization, url = t.baseUrl) => fetch(`${url}/billing/accounts/${patientId}`, { headers: { authorization } }),
      boot: (settings) => t.boot(settings),
    }));

    it('still serves gRPC without a token (service to service)', async () => {
      await expect(create({ patientId: randomUUID(), name: 'D', email: 'd@e.f' })).resolves.toMatchObject({ status: 'ACTIVE' });
    });

    it('documents the roles, bearer auth and the 401/403 answers in OpenAPI', () => {
      const operation = buildOpenApiDocument(t.app, { title: 'Billing', description: '' }).paths['/billing/accounts/{patientId}'].get!;
      expect(operation.description).toContain('Roles: ADMIN, BILLING.');
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    });

    it('is ready with the database and Redis up', async () => {
      const response = await fetch(`${t.baseUrl}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ info: { database: { status: 'up' }, redis: { status: 'up' } } });
    });
  });

  it('opens the account of a request queued on billing-account (patient registered while gRPC was down), once', async () => {
    const patientId = randomUUID();
    const kafka = new Kafka({ clientId: 'billing-test', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const request = () =>
      encodeBillingAccountEvent({ patientId, name: 'Queued Patient', email: 'queued@example.com', event_type: 'BILLING_ACCOUNT_CREATE_REQUESTED', event_id: randomUUID(), occurred_at: Date.now() });
    // Twice, plus a message that is not one: the account is opened once and consumption goes on.
    await producer.send({ topic: Topics.billingAccount, messages: [{ key: patientId, value: Buffer.from([0xff, 0x01]) }, { key: patientId, value: request() }, { key: patientId, value: request() }] });
    await producer.disconnect();

    const account = await waitFor(async () => {
      const response = await get(`/billing/accounts/${patientId}`);
      return response.status === 200 ? ((await response.json()) as { accountId: string }) : undefined;
    }, { timeoutMs: 20_000, description: 'the queued account' });
    const again = await create({ patientId, name: 'Queued Patient', email: 'queued@example.com' });
    expect(again.accountId).toBe(account.accountId);
  });
});
