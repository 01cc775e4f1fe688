import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { Topics, decodeBillingAccountEvent } from '@pm/contracts';
import { DeadLetterPublisher, KafkaConsumerRunner, TopicConsumer, route } from '@pm/kafka';
import type { BillingConfig } from '../config/billing.config';
import { InvalidBillingRequestError } from './billing-accounts.errors';
import { BillingAccountsService } from './billing-accounts.service';

/**
 * The `billing-account` topic (compat): the patient service records a request there when it
 * could not reach billing over gRPC. Opening is idempotent, so a patient still ends up with
 * exactly one account whichever way (or how often) the request arrives.
 */
@Injectable()
export class AccountRequestsConsumer extends TopicConsumer {
  private readonly log = new Logger(AccountRequestsConsumer.name);

  constructor(
    runner: KafkaConsumerRunner,
    deadLetters: DeadLetterPublisher,
    private readonly accounts: BillingAccountsService,
    @Inject(APP_CONFIG) config: Pick<BillingConfig, 'KAFKA_CONSUMER_GROUP'>,
  ) {
    // Its own group: a group's members must read the same topics.
    super(runner, deadLetters, { groupId: `${config.KAFKA_CONSUMER_GROUP}-account-requests`, deadLetterTopic: Topics.billingDeadLetter });
  }

  protected routes() {
    return [
      route({
        topic: Topics.billingAccount,
        decode: decodeBillingAccountEvent,
        apply: (event) => this.open(event.patientId),
        invalidErrors: [InvalidBillingRequestError],
      }),
    ];
  }

  private async open(patientId: string): Promise<'opened'> {
    const account = await this.accounts.openAccount({ patientId });
    this.log.log({ patientId, accountId: account.id }, 'Billing account opened from a queued request');
    return 'opened';
  }
}
