import { type BillingAccountEvent, encodeBillingAccountEvent } from '@pm/contracts';
import { consumedMessage, typedFake, useConsumerFakes } from '@pm/testing';
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
  const message = (value: Buffer) => consumedMessage({ topic: 'billing-account', partition: 0, offset: '3', key: patientId }, value);
  const kafka = useConsumerFakes();
  let accounts: FakeAccounts;
  let consumer: AccountRequestsConsumer;

  beforeEach(() => {
    accounts = new FakeAccounts();
    consumer = new AccountRequestsConsumer(kafka.runner, kafka.deadLetters, typedFake<BillingAccountsService>(accounts), { KAFKA_CONSUMER_GROUP: 'billing' });
  });

  it('reads billing-account in a group of its own', () => {
    consumer.onApplicationBootstrap();
    expect(kafka.runner.started).toEqual([expect.objectContaining({ groupId: 'billing-account-requests', topics: ['billing-account'] })]);
  });

  it('opens the account of the requested patient', async () => {
    await consumer.consume(message(encodeBillingAccountEvent(request)));
    expect(accounts.opened).toEqual([{ patientId }]);
    expect(kafka.broker.published).toEqual([]);
  });

  it('dead-letters a request the service refuses, naming the field', async () => {
    accounts.failWith = new InvalidBillingRequestError('patientId', 'patientId must be a UUID');
    await consumer.consume(message(encodeBillingAccountEvent({ ...request, patientId: 'nope' })));
    expect(kafka.broker.published.map((e) => [e.topic, e.headers?.['x-error']])).toEqual([['billing-dead-letter', 'unusable patientId: patientId must be a UUID']]);
  });

  it('lets a database failure propagate so Kafka redelivers', async () => {
    accounts.failWith = new Error('database away');
    await expect(consumer.consume(message(encodeBillingAccountEvent(request)))).rejects.toThrow('database away');
    expect(kafka.broker.published).toEqual([]);
  });
});
