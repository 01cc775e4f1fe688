import { Injectable } from '@nestjs/common';
import { Topics } from '@pm/contracts';
import { ConsumedMessage, EventPublisher } from '@pm/kafka';

/**
 * Parks a message analytics can never apply on `analytics-dead-letter`, as it came (key, value)
 * plus where it came from and why. Published directly, not through an outbox: it is no change
 * of this service's state. Resolves only once the broker accepted it, so the caller may move on.
 */
@Injectable()
export class DeadLetterPublisher {
  constructor(private readonly publisher: EventPublisher) {}

  publish(message: ConsumedMessage, reason: string): Promise<void> {
    return this.publisher.publish([
      {
        topic: Topics.analyticsDeadLetter,
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
