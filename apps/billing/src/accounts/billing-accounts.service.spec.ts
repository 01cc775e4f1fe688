import { BillingAccount } from './billing-account.entity';
import { BillingAccountsRepository } from './billing-accounts.repository';
import { InvalidBillingRequestError } from './billing-accounts.errors';
import { BillingAccountsService } from './billing-accounts.service';
import { typedFake } from '@pm/testing';

class FakeBillingAccountsRepository implements Pick<BillingAccountsRepository, 'openOnce' | 'findByPatientId'> {
  readonly accounts = new Map<string, BillingAccount>();

  async openOnce(patientId: string): Promise<BillingAccount> {
    const existing = this.accounts.get(patientId);
    if (existing) return existing;
    const account = Object.assign(new BillingAccount(), {
      id: `account-${this.accounts.size + 1}`,
      patientId,
      status: 'ACTIVE' as const,
      balanceMinor: 0,
      currency: null,
      createdAt: new Date(),
    });
    this.accounts.set(patientId, account);
    return account;
  }

  async findByPatientId(patientId: string): Promise<BillingAccount | null> {
    return this.accounts.get(patientId) ?? null;
  }
}

describe('BillingAccountsService', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  let repository: FakeBillingAccountsRepository;
  let service: BillingAccountsService;

  beforeEach(() => {
    repository = new FakeBillingAccountsRepository();
    service = new BillingAccountsService(typedFake<BillingAccountsRepository>(repository), { BILLING_CURRENCY: 'EUR' });
  });

  it('opens one active account per patient, whatever the case of the id', async () => {
    const first = await service.openAccount({ patientId });
    const second = await service.openAccount({ patientId: patientId.toUpperCase() });
    expect(second.id).toBe(first.id);
    expect(first.status).toBe('ACTIVE');
    expect(repository.accounts.size).toBe(1);
  });

  it.each([
    ['', 'patientId is required'],
    ['not-a-uuid', 'patientId must be a UUID'],
  ])('refuses patientId %p', async (bad, message) => {
    await expect(service.openAccount({ patientId: bad })).rejects.toThrow(new InvalidBillingRequestError('patientId', message));
    expect(repository.accounts.size).toBe(0);
  });

  it('reports the balance in the account currency, or the price list currency before the first invoice', async () => {
    const account = await service.openAccount({ patientId });
    expect(service.balanceOf(account).toJSON()).toEqual({ amountMinor: 0, currency: 'EUR' });
    expect(service.balanceOf({ ...account, balanceMinor: 7500, currency: 'USD' }).toJSON()).toEqual({ amountMinor: 7500, currency: 'USD' });
  });
});
