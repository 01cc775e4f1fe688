import { route, type Route } from '@pm/kafka';
import type { EventPosition } from './event-position';
import { UnusableEventError } from './unusable-event.error';

/**
 * Turns the messages of one topic into a service call: decodes and translates, nothing more.
 * The live consumer and the rebuild tool run the same routes.
 */
export interface TopicEventHandler {
  readonly route: Route;
}

/** Every analytics topic is routed alike: decode, apply at the message's position; an UnusableEventError is poison. */
export function statsRoute<E, O extends string>(
  topic: string,
  decode: (value: Buffer) => E,
  apply: (event: E, position: EventPosition) => Promise<O>,
): Route {
  return route({ topic, decode, apply, invalidErrors: [UnusableEventError] });
}
