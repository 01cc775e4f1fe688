import { loadConfig } from '@pm/platform';
import { billingConfigSchema } from './billing.config';

describe('billingConfigSchema', () => {
  it('defaults to the contract ports, its own database and consumer group, and a price list in EUR', () => {
    expect(loadConfig(billingConfigSchema, 'billing', {})).toMatchObject({
      HTTP_PORT: 4001,
      GRPC_PORT: 9001,
      DB_NAME: 'billing',
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_CONSUMER_GROUP: 'billing',
      BILLING_CURRENCY: 'EUR',
      APPOINTMENT_PRICE_MINOR: 5000,
    });
  });

  it('reads the price list from the environment', () => {
    expect(loadConfig(billingConfigSchema, 'billing', { BILLING_CURRENCY: 'USD', APPOINTMENT_PRICE_MINOR: '12000' })).toMatchObject({
      BILLING_CURRENCY: 'USD',
      APPOINTMENT_PRICE_MINOR: 12000,
    });
  });

  it.each([
    ['BILLING_CURRENCY', 'eur'],
    ['BILLING_CURRENCY', 'EURO'],
    ['APPOINTMENT_PRICE_MINOR', '50.00'],
    ['APPOINTMENT_PRICE_MINOR', '-1'],
    ['APPOINTMENT_PRICE_MINOR', 'fifty'],
  ])('refuses %s=%p, naming it', (name, value) => {
    expect(() => loadConfig(billingConfigSchema, 'billing', { [name]: value })).toThrow(new RegExp(name));
  });
});
