import { Logger } from '@nestjs/common';
import { type BillingAccountEvent, encodeBillingAccountEvent } from '@pm/contracts';
import { type ConsumedMessage, DeadLetterPublisher, RecordingConsumerRunner, RecordingEventPublisher } from '@pm/kafka';
import { AccountRequestsConsumer } from './account-requests.consumer';
import { BillingAccount } from './billing-account.entity';
import { BillingAccountsService, type OpenAccountCommand } from './billing-accounts.service';
import { InvalidBillingRequestError } from './billing-accounts.errors';

class FakeAccounts implements Pick<BillingAccountsService, 'openAccount'> {
  readonly opened: OpenAccountCommand[] = [];
  failWith?: Error;
  async openAccount(command: OpenAccountCommand): Promise<BillingAccount> {
    if (this.failWith) throw this.failWith;
    this.opened.push(command);
    return Object.assign(new BillingAccount(), { id: 'acc-1', patientId: command.patientId });
  }
}

describe('AccountRequestsConsumer', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  const request: BillingAccountEvent = { patientId, name: 'Jane Roe', email: 'jane@example.com', event_type: 'BILLING_ACCOUNT_CREATE_REQUESTED', event_id: 'e-1', occurred_at: 1 };
  const message = (value: Buffer): ConsumedMessage => ({ topic: 'billing-account', partition: 0, offset: '3', key: patientId, value, headers: {}, timestamp: '0' });
  let accounts: FakeAccounts;
  let broker: RecordingEventPublisher;
  let runner: RecordingConsumerRunner;
  let consumer: AccountRequestsConsumer;

  beforeEach(() => {
    accounts = new FakeAccounts();
    broker = new RecordingEventPublisher();
    runner = new RecordingConsumerRunner();
    // The fake has only the method the consumer calls; the consumer's type asks for the class.
    const service: Pick<BillingAccountsService, 'openAccount'> = accounts;
    consumer = new AccountRequestsConsumer(runner, new DeadLetterPublisher(broker), service as BillingAccountsService, { KAFKA_CONSUMER_GROUP: 'billing' });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('reads billing-account in a group of its own', () => {
    consumer.onApplicationBootstrap();
    expect(runner.started).toEqual([expect.objectContaining({ groupId: 'billing-account-requests', topics: ['billing-account'] })]);
  });

  it('opens the account of the requested patient', async () => {
    await consumer.consume(message(encodeBillingAccountEvent(request)));
    expect(accounts.opened).toEqual([{ patientId }]);
    expect(broker.published).toEqual([]);
  });

  it('dead-letters a request the service refuses, naming the field', async () => {
    accounts.failWith = new InvalidBillingRequestError('patientId', 'patientId must be a UUID');
    await consumer.consume(message(encodeBillingAccountEvent({ ...request, patientId: 'nope' })));
    expect(broker.published.map((e) => [e.topic, e.headers?.['x-error']])).toEqual([['billing-dead-letter', 'unusable patientId: patientId must be a UUID']]);
  });

  it('lets a database failure propagate so Kafka redelivers', async () => {
    accounts.failWith = new Error('database away');
    await expect(consumer.consume(message(encodeBillingAccountEvent(request)))).rejects.toThrow('database away');
    expect(broker.published).toEqual([]);
  });
});
