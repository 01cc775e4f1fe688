import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { metricsRegistry } from '@pm/platform';
import { Counter } from 'prom-client';
import { EventPublisher } from './event-publisher';
import type { ConsumedMessage, KafkaConsumerRunner } from './kafka-consumer.runner';

const consumedMessages = new Counter({
  name: 'kafka_messages_consumed_total',
  help: 'Kafka messages consumed, by consumer group, topic and outcome (the service outcome, or dead-lettered)',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers: [metricsRegistry],
});

/** The outcome counted for a message sent to the dead-letter topic. */
export const DEAD_LETTERED = 'dead-lettered';

/**
 * A message that can never be applied: it did not decode, or it decoded into something invalid.
 * Delivering it again would fail again forever, so it goes to the dead-letter topic instead.
 */
export class PoisonMessageError extends Error {
  /** `undecodable`, or `unusable <field>`: starts the dead letter's `x-error` header. */
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where a message sat in Kafka, and the id a redelivery of it is recognised by. */
export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  /** Epoch milliseconds as Kafka reports them (a string). */
  timestamp: string;
  /** When the route declares a key: that key, or the message's place for events that carry none. */
  idempotencyKey?: string;
}

/** One consumed topic: how a message becomes a service call. A handler translates, nothing more. */
export interface TopicRoute<E, O extends string = string> {
  readonly topic: string;
  /** Bytes → event; any error means undecodable. A tombstone (no value) is decoded as empty bytes. */
  decode(value: Buffer): E;
  /** What makes the event unusable (`{ field, message }`), or undefined when it is usable. */
  validate?(event: E): { field: string; message: string } | undefined;
  /** The id the service deduplicates on (e.g. `event_id`); handed over as `context.idempotencyKey`. */
  idempotencyKey?(event: E): string;
  /** The service call; its answer is counted. Throwing anything but a poison error means retry. */
  apply(event: E, context: MessageContext): Promise<O>;
  /** Answers of `apply` that mean the event can never be applied (e.g. `invalid`). */
  readonly invalidOutcomes?: readonly O[];
  /** Errors of `apply` that mean the same (a service's validation error); the rest are retried. */
  readonly invalidErrors?: readonly (abstract new (...args: never[]) => Error)[];
}

/**
 * Erases a route's event type so routes of different topics fit in one list; the pipeline
 * inside is typed per topic.
 */
export interface Route {
  readonly topic: string;
  process(message: ConsumedMessage): Promise<string>;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The id a redelivery is recognised by: the declared key, or (older producers send none) the place. */
export function idempotencyKeyFor(declared: string, place: Pick<MessageContext, 'topic' | 'partition' | 'offset'>): string {
  return declared || `${place.topic}:${place.partition}:${place.offset}`;
}

/** decode → validate → idempotency key → service call; throws `PoisonMessageError` for a poison message. */
export function route<E, O extends string>(definition: TopicRoute<E, O>): Route {
  return {
    topic: definition.topic,
    async process(message: ConsumedMessage): Promise<string> {
      let event: E;
      try {
        event = definition.decode(message.value ?? Buffer.alloc(0));
      } catch (error) {
        throw new PoisonMessageError('undecodable', messageOf(error));
      }
      const problem = definition.validate?.(event);
      if (problem) throw new PoisonMessageError(`unusable ${problem.field}`, problem.message);
      const context: MessageContext = { topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp };
      if (definition.idempotencyKey) context.idempotencyKey = idempotencyKeyFor(definition.idempotencyKey(event), message);
      let outcome: O;
      try {
        outcome = await definition.apply(event, context);
      } catch (error) {
        const invalid = definition.invalidErrors?.some((type) => error instanceof type);
        if (!invalid) throw error;
        const field = (error as { field?: unknown }).field;
        throw new PoisonMessageError(typeof field === 'string' ? `unusable ${field}` : 'unusable', messageOf(error));
      }
      if (definition.invalidOutcomes?.includes(outcome)) throw new PoisonMessageError('unusable', `the service answered ${outcome}`);
      return outcome;
    },
  };
}

/**
 * Parks a message that can never be applied on a dead-letter topic, as it came (key, value) plus
 * where it came from and why. Published directly, not through an outbox: it is no change of the
 * service's state. Resolves only once the broker accepted it, so the caller may move on.
 */
@Injectable()
export class DeadLetterPublisher {
  constructor(private readonly publisher: EventPublisher) {}

  publish(deadLetterTopic: string, message: ConsumedMessage, reason: string): Promise<void> {
    return this.publisher.publish([
      {
        topic: deadLetterTopic,
        // A message without key keeps an empty one: the consumed key is already a string or null.
        key: message.key ?? '',
        value: message.value ?? Buffer.alloc(0),
        headers: {
          'x-original-topic': message.topic,
          'x-original-partition': String(message.partition),
          'x-original-offset': message.offset,
          'x-error': reason,
        },
      },
    ]);
  }
}

export interface ConsumerGroup {
  /** A group's members must read the same topics, so a consumer of other topics needs its own. */
  groupId: string;
  /** Where this service's poison messages go (`<service>-dead-letter`, declared in topics.json). */
  deadLetterTopic: string;
}

/**
 * The one shape of a Kafka consumer: a consumer group reading its routes' topics from the
 * beginning. A subclass names its group, its dead-letter topic and one route per topic.
 *
 * A poison message goes to the dead-letter topic and consumption moves on; any other failure
 * (database down, broker away) is thrown, so Kafka delivers the message again without committing
 * and the order per key holds. Logs name a message's place, never its payload.
 */
export abstract class TopicConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(this.constructor.name);
  private routeTable?: ReadonlyMap<string, Route>;
  private readonly groupId: string;
  private readonly deadLetterTopic: string;

  constructor(
    private readonly runner: Pick<KafkaConsumerRunner, 'start'>,
    private readonly deadLetters: Pick<DeadLetterPublisher, 'publish'>,
    group: ConsumerGroup,
  ) {
    this.groupId = group.groupId;
    this.deadLetterTopic = group.deadLetterTopic;
  }

  /** One route per topic read; called once, on first use (after the subclass is constructed). */
  protected abstract routes(): Route[];

  onApplicationBootstrap(): void {
    this.runner.start({
      groupId: this.groupId,
      topics: [...this.table().keys()],
      fromBeginning: true,
      handle: (message) => this.consume(message),
    });
  }

  async consume(message: ConsumedMessage): Promise<void> {
    const { topic, partition, offset } = message;
    const route = this.table().get(topic);
    if (!route) {
      this.logger.warn({ topic, partition, offset }, 'No route for the topic; message skipped');
      return;
    }
    try {
      const outcome = await route.process(message);
      consumedMessages.inc({ group: this.groupId, topic, outcome });
      this.consumed(topic, outcome);
    } catch (error) {
      if (!(error instanceof PoisonMessageError)) throw error;
      // Throws when Kafka refuses it: then this message is delivered again, nothing is lost.
      await this.deadLetters.publish(this.deadLetterTopic, message, `${error.reason}: ${error.message}`);
      consumedMessages.inc({ group: this.groupId, topic, outcome: DEAD_LETTERED });
      this.consumed(topic, DEAD_LETTERED);
      this.logger.warn({ topic, partition, offset, reason: error.reason, deadLetterTopic: this.deadLetterTopic }, 'Sent a message that cannot be applied to the dead-letter topic');
    }
  }

  private table(): ReadonlyMap<string, Route> {
    this.routeTable ??= new Map(this.routes().map((r) => [r.topic, r]));
    return this.routeTable;
  }

  /** Called after each message with its outcome, for a consumer that keeps counters of its own. */
  protected consumed(_topic: string, _outcome: string): void {}
}
