import type { ConsumedMessage } from '@pm/kafka';
import type { ApplyOutcome } from './event-position';

/**
 * Turns the messages of one topic into a service call: decodes and translates, nothing more.
 * Throws `UndecodableEventError` / `UnusableEventError` for a message that can never be applied.
 */
export interface TopicEventHandler {
  readonly topic: string;
  handle(message: ConsumedMessage): Promise<ApplyOutcome>;
}
