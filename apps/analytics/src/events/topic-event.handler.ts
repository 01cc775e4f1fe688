import type { Route } from '@pm/kafka';

/**
 * Turns the messages of one topic into a service call: decodes and translates, nothing more.
 * The live consumer and the rebuild tool run the same routes.
 */
export interface TopicEventHandler {
  readonly route: Route;
}
