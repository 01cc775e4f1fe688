import { InvalidConfigurationError, loadConfig } from '@pm/config';
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
});
