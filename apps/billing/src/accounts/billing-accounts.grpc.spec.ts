import { Metadata } from '@grpc/grpc-js';
import type { PinoLogger } from 'nestjs-pino';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { BillingConfig } from '../config/billing.config';
import { BillingAccount } from './billing-account.entity';
import { BillingAccountsGrpcServer, requestIdOf } from './billing-accounts.grpc';
import { InvalidBillingRequestError } from './billing-accounts.errors';
import { BillingAccountsService, OpenAccountCommand } from './billing-accounts.service';
import { typedFake } from '@pm/testing';

class FakeBillingAccountsService implements Pick<BillingAccountsService, 'openAccount'> {
  async openAccount(command: OpenAccountCommand): Promise<BillingAccount> {
    if (command.patientId === 'bad') throw new InvalidBillingRequestError('patientId', 'patientId must be a UUID');
    if (command.patientId === 'database-away') throw new Error('connection refused');
    return Object.assign(new BillingAccount(), { id: 'account-1', patientId: command.patientId, status: 'ACTIVE' as const, balanceMinor: 0, currency: null, createdAt: new Date() });
  }
}

describe('BillingAccountsGrpcServer logging', () => {
  let lines: Record<string, unknown>[];
  let server: BillingAccountsGrpcServer;

  beforeEach(() => {
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
        done();
      },
    });
    const pinoLogger = { logger: pino({ level: 'info' }, sink) } as Pick<PinoLogger, 'logger'>;
    server = new BillingAccountsGrpcServer(
      typedFake<BillingAccountsService>(new FakeBillingAccountsService()),
      {} as BillingConfig,
      pinoLogger as PinoLogger,
    );
  });

  const withRequestId = (id: string) => {
    const metadata = new Metadata();
    metadata.set('x-request-id', id);
    return metadata;
  };

  it('logs each call with the request id from the metadata, and no patient name or email', async () => {
    await server.createBillingAccount({ patientId: 'p-1', name: 'Jane Roe', email: 'jane@example.com' }, withRequestId('req-123'));
    await expect(server.createBillingAccount({ patientId: 'bad', name: 'Jane Roe', email: 'jane@example.com' }, withRequestId('req-456'))).rejects.toMatchObject({
      message: 'patientId must be a UUID',
    });

    expect(lines).toEqual([
      expect.objectContaining({ requestId: 'req-123', context: 'BillingAccountsGrpcServer', patientId: 'p-1', accountId: 'account-1', msg: 'Billing account opened' }),
      expect.objectContaining({ requestId: 'req-456', field: 'patientId', msg: 'Billing account request refused' }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/Jane|jane@example/);
  });

  it('passes any other failure on as it is, without calling it a refused request', async () => {
    await expect(server.createBillingAccount({ patientId: 'database-away', name: 'Jane Roe', email: 'jane@example.com' }, withRequestId('req-789'))).rejects.toThrow('connection refused');
    expect(lines.filter((line) => line.requestId === 'req-789')).toEqual([]);
  });

  it('makes up a request id when the caller sent none or an unsafe one', () => {
    expect(requestIdOf(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(new Metadata())).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(withRequestId('bad id "quoted" {json}'))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdOf(withRequestId('req-1'))).toBe('req-1');
  });
});
