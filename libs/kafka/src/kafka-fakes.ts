import { Kafka, logLevel } from 'kafkajs';
import { EventPublisher, type OutgoingEvent } from './event-publisher';
import { type ConsumerSpec, KafkaConsumerRunner } from './kafka-consumer.runner';

// A client that is never connected: the fakes below replace every method that would use it.
const offline = () => new Kafka({ clientId: 'fake', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING });

/** For unit tests: records what a consumer would start instead of joining a group. */
export class RecordingConsumerRunner extends KafkaConsumerRunner {
  readonly started: ConsumerSpec[] = [];

  constructor() {
    super(offline());
  }

  override start(spec: ConsumerSpec): void {
    this.started.push(spec);
  }
}

/** For unit tests: records published events; `failWith` makes the broker refuse them. */
export class RecordingEventPublisher extends EventPublisher {
  readonly published: OutgoingEvent[] = [];
  failWith?: Error;

  constructor() {
    super(offline());
  }

  override async publish(events: OutgoingEvent[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.published.push(...events);
  }
}
