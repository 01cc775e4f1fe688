import { randomUUID } from 'node:crypto';
import { ignoreKafkajsNegativeTimeoutWarning } from '@pm/kafka';
import { Consumer, Kafka, logLevel } from 'kafkajs';

export interface ProbedMessage {
  topic: string;
  partition: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Reads topics as an outside consumer would (a fresh group, from the beginning, so nothing
 * produced around the moment it joins is missed); tests pick their messages by key.
 */
export class KafkaTopicProbe {
  readonly messages: ProbedMessage[] = [];
  private readonly consumer: Consumer;

  constructor(
    private readonly topics: string[],
    brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
  ) {
    ignoreKafkajsNegativeTimeoutWarning();
    const kafka = new Kafka({ clientId: 'test-probe', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: `test-probe-${randomUUID()}` });
  }

  async start(): Promise<this> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => this.consumer.on(this.consumer.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({
          topic,
          partition,
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    await joined;
    return this;
  }

  async waitFor(predicate: (m: ProbedMessage) => boolean, timeoutMs = 15000): Promise<ProbedMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`No matching message on ${this.topics.join(',')} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
