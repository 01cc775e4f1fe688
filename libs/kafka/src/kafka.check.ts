import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import type { DependencyCheck } from '@pm/platform';

@Injectable()
export class KafkaCheck implements DependencyCheck, OnApplicationShutdown {
  readonly name = 'kafka';
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(kafka: Kafka) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
    this.admin.on(this.admin.events.DISCONNECT, () => (this.connected = undefined));
  }

  async check(): Promise<void> {
    try {
      this.connected ??= this.admin.connect();
      await this.connected;
      await this.admin.describeCluster();
    } catch (error) {
      this.connected = undefined;
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect().catch(() => undefined);
  }
}
