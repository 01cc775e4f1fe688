import { DynamicModule, Global, Module } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { EventPublisher } from './event-publisher';
import { KafkaCheck } from './kafka.check';
import { KafkaConsumerRunner } from './kafka-consumer.runner';
import { kafkaLogCreator } from './kafka-logger';
import { ignoreKafkajsNegativeTimeoutWarning } from './negative-timeout-warning';

export interface KafkaOptions {
  clientId: string;
  brokers: string;
}

export function createKafkaClient(options: KafkaOptions): Kafka {
  ignoreKafkajsNegativeTimeoutWarning();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers.split(',').map((b) => b.trim()),
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
      ],
      exports: [Kafka, EventPublisher, KafkaConsumerRunner, KafkaCheck],
    };
  }
}
