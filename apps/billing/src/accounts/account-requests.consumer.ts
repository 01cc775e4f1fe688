import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/config';
import { Topics, decodeBillingAccountEvent } from '@pm/contracts';
import { ConsumedMessage, KafkaConsumerRunner } from '@pm/kafka';
import { metricsRegistry } from '@pm/observability';
import { Counter } from 'prom-client';
import type { BillingConfig } from '../config/billing.config';
import { InvalidBillingRequestError } from './billing-accounts.errors';
import { BillingAccountsService } from './billing-accounts.service';

const accountRequests = new Counter({
  name: 'billing_account_requests_total',
  help: 'Billing-account requests read from Kafka (patients registered while gRPC was unreachable), by outcome',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * The `billing-account` topic (compat): the patient service records a request there when it
 * could not reach billing over gRPC. Opening is idempotent, so a patient still ends up with
 * exactly one account whichever way (or how often) the request arrives.
 */
@Injectable()
export class AccountRequestsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(AccountRequestsConsumer.name);

  constructor(
    private readonly runner: KafkaConsumerRunner,
    private readonly accounts: BillingAccountsService,
    @Inject(APP_CONFIG) private readonly config: BillingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start({
      // Its own group: a group's members must read the same topics.
      groupId: `${this.config.KAFKA_CONSUMER_GROUP}-account-requests`,
      topics: [Topics.billingAccount],
      fromBeginning: true,
      handle: (message) => this.handle(message),
    });
  }

  async handle(message: ConsumedMessage): Promise<void> {
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    let patientId: string;
    try {
      patientId = decodeBillingAccountEvent(message.value ?? Buffer.alloc(0)).patientId;
    } catch {
      // Never the payload: it carries a name and an email.
      this.logger.warn(where, 'Skipping an undecodable billing-account request');
      accountRequests.inc({ outcome: 'undecodable' });
      return;
    }
    try {
      const account = await this.accounts.openAccount({ patientId });
      this.logger.log({ patientId, accountId: account.id }, 'Billing account opened from a queued request');
      accountRequests.inc({ outcome: 'opened' });
    } catch (error) {
      if (!(error instanceof InvalidBillingRequestError)) throw error;
      this.logger.warn({ ...where, reason: error.message }, 'Skipping an invalid billing-account request');
      accountRequests.inc({ outcome: 'invalid' });
    }
  }
}
