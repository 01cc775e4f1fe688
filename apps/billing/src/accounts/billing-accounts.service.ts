import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, isUuid } from '@pm/platform';
import type { BillingConfig } from '../config/billing.config';
import { Money } from '../money/money';
import { BillingAccount } from './billing-account.entity';
import { InvalidBillingRequestError } from './billing-accounts.errors';
import { BillingAccountsRepository } from './billing-accounts.repository';


export interface OpenAccountCommand {
  patientId: string;
  name?: string;
  email?: string;
}

@Injectable()
export class BillingAccountsService {
  constructor(
    private readonly accounts: BillingAccountsRepository,
    @Inject(APP_CONFIG) private readonly config: Pick<BillingConfig, 'BILLING_CURRENCY'>,
  ) {}

  /** Idempotent per patient: the same patient always gets the same account. */
  async openAccount(command: OpenAccountCommand): Promise<BillingAccount> {
    if (!command.patientId) throw new InvalidBillingRequestError('patientId', 'patientId is required');
    if (!isUuid(command.patientId)) throw new InvalidBillingRequestError('patientId', 'patientId must be a UUID');
    return this.accounts.openOnce(command.patientId.toLowerCase());
  }

  findByPatient(patientId: string): Promise<BillingAccount | null> {
    return this.accounts.findByPatientId(patientId.toLowerCase());
  }

  /** What the patient owes; an account never billed owes nothing in the price list's currency. */
  balanceOf(account: BillingAccount): Money {
    return Money.of(account.balanceMinor, account.currency?.trim() || this.config.BILLING_CURRENCY);
  }
}
