import { InvalidConfigurationError, loadConfig } from '@pm/platform';
import { analyticsConfigSchema } from './analytics.config';

describe('analyticsConfigSchema', () => {
  it('defaults to the contract port, its own database and consumer group', () => {
    expect(loadConfig(analyticsConfigSchema, 'analytics', {})).toMatchObject({
      HTTP_PORT: 4002,
      DB_NAME: 'analytics',
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_CONSUMER_GROUP: 'analytics',
    });
  });

  it('names a bad variable', () => {
    expect(() => loadConfig(analyticsConfigSchema, 'analytics', { KAFKA_BROKERS: 'not a broker list' })).toThrow(
      InvalidConfigurationError,
    );
    expect(() => loadConfig(analyticsConfigSchema, 'analytics', { KAFKA_BROKERS: 'nope' })).toThrow(/KAFKA_BROKERS/);
  });

  it('reports revenue in EUR and sends a stream heartbeat every 5 s (under the gateway upstream timeout) unless told otherwise', () => {
    expect(loadConfig(analyticsConfigSchema, 'analytics', {})).toMatchObject({ REVENUE_CURRENCY: 'EUR', STREAM_HEARTBEAT_MS: 5000 });
    expect(loadConfig(analyticsConfigSchema, 'analytics', { REVENUE_CURRENCY: 'USD', STREAM_HEARTBEAT_MS: '5000' })).toMatchObject({
      REVENUE_CURRENCY: 'USD',
      STREAM_HEARTBEAT_MS: 5000,
    });
  });

  it.each([
    ['REVENUE_CURRENCY', 'euro'],
    ['STREAM_HEARTBEAT_MS', '10'],
  ])('refuses %s=%s naming it', (name, value) => {
    expect(() => loadConfig(analyticsConfigSchema, 'analytics', { [name]: value })).toThrow(new RegExp(name));
  });
});
