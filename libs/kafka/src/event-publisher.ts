import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';

export interface OutgoingEvent {
  topic: string;
  /** Partition key: events with the same key keep their order. */
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export class EventPublishError extends Error {}

/**
 * The one place events leave a service for Kafka. The producer is idempotent and connects on
 * first use, so a service starts (and reports Kafka as down) while the broker is away and
 * publishes again once it is back.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly producer: Producer;
  private connecting?: Promise<void>;

  constructor(kafka: Kafka) {
    // The Java client's murmur2 partitioner, so a key lands where the seed systems' consumers expect.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connecting = undefined));
  }

  async publish(events: OutgoingEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.connect();
      const byTopic = new Map<string, OutgoingEvent[]>();
      for (const event of events) byTopic.set(event.topic, [...(byTopic.get(event.topic) ?? []), event]);
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((e) => ({ key: e.key, value: e.value, headers: e.headers })),
        })),
      });
    } catch (error) {
      this.logger.warn({ err: error, topics: [...new Set(events.map((e) => e.topic))] }, 'Publishing to Kafka failed');
      throw new EventPublishError(`Kafka did not accept the events: ${(error as Error).message}`);
    }
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
