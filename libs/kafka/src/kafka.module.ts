import { DynamicModule, Global, Module } from '@nestjs/common';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { EventPublisher } from './event-publisher';
import { KafkaCheck } from './kafka.check';
import { KafkaConsumerRunner } from './kafka-consumer.runner';
import { kafkaLogCreator } from './kafka-logger';
import { ignoreKafkajsNegativeTimeoutWarning } from './negative-timeout-warning';
import { DeadLetterPublisher } from './topic-consumer';

export interface KafkaOptions {
  clientId: string;
  brokers: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export interface KafkaConnectionConfig {
  KAFKA_BROKERS: string;
  KAFKA_SSL: boolean;
  KAFKA_SASL_MECHANISM: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME: string;
  KAFKA_SASL_PASSWORD: string;
}

/** Kafka connection options from a service's validated configuration (TLS and SASL on MSK). */
export function kafkaConnection(config: KafkaConnectionConfig): Omit<KafkaOptions, 'clientId'> {
  const { KAFKA_SASL_MECHANISM: mechanism } = config;
  if (mechanism !== 'none' && (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD)) {
    throw new Error(`KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is ${mechanism}`);
  }
  return {
    brokers: config.KAFKA_BROKERS,
    ssl: config.KAFKA_SSL,
    sasl: mechanism === 'none' ? undefined : { mechanism, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD },
  };
}

export function createKafkaClient(options: KafkaOptions): Kafka {
  ignoreKafkajsNegativeTimeoutWarning();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers.split(',').map((b) => b.trim()),
    ssl: options.ssl ?? false,
    ...(options.sasl ? { sasl: options.sasl as SASLOptions } : {}),
    connectionTimeout: 3000,
    requestTimeout: 10000,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(),
    retry: { initialRetryTime: 300, retries: 5 },
  });
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaOptions): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: Kafka, useFactory: () => createKafkaClient(options) },
        EventPublisher,
        KafkaConsumerRunner,
        KafkaCheck,
        DeadLetterPublisher,
      ],
      exports: [Kafka, EventPublisher, KafkaConsumerRunner, KafkaCheck, DeadLetterPublisher],
    };
  }
}
