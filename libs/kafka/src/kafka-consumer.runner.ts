import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { metricsRegistry } from '@pm/platform';
import { Consumer, Kafka } from 'kafkajs';
import { Gauge } from 'prom-client';

const consumerLag = new Gauge({
  name: 'kafka_consumer_lag',
  help: 'Messages between the last processed offset and the partition end, per consumer group',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
});

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  timestamp: string;
}

export interface ConsumerSpec {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Throwing makes Kafka deliver the message again (after a back-off). */
  handle(message: ConsumedMessage): Promise<void>;
}

/**
 * Runs consumer groups for a service. Starting never blocks start-up: when Kafka is away the
 * runner keeps trying in the background, and KafkaJS restarts a consumer that crashed.
 */
@Injectable()
export class KafkaConsumerRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(KafkaConsumerRunner.name);
  private readonly consumers: Consumer[] = [];
  private stopping = false;

  constructor(private readonly kafka: Kafka) {}

  start(spec: ConsumerSpec): void {
    const consumer = this.kafka.consumer({
      groupId: spec.groupId,
      allowAutoTopicCreation: false,
      retry: { retries: 8, initialRetryTime: 300, restartOnFailure: async () => !this.stopping },
    });
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      consumerLag.set({ group: spec.groupId, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
    });
    this.consumers.push(consumer);
    void this.runUntilStopped(consumer, spec);
  }

  private async runUntilStopped(consumer: Consumer, spec: ConsumerSpec): Promise<void> {
    let delay = 500;
    while (!this.stopping) {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: spec.topics, fromBeginning: spec.fromBeginning ?? true });
        await consumer.run({
          eachMessage: async ({ topic, partition, message }) => {
            await spec.handle({
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value,
              timestamp: message.timestamp,
              headers: Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')]),
              ),
            });
          },
        });
        this.logger.log({ groupId: spec.groupId, topics: spec.topics }, 'Consumer running');
        return;
      } catch (error) {
        if (this.stopping) return;
        this.logger.warn({ err: error, groupId: spec.groupId, retryInMs: delay }, 'Consumer could not start; retrying');
        await consumer.disconnect().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  /** Before the database pool closes, so a message being handled finishes (or is redelivered). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.consumers.map((c) => c.disconnect().catch(() => undefined)));
  }
}
