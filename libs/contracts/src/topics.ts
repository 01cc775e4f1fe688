import topicList from './topics.json';

/**
 * Kafka topics of the external contract; keys are the entity ids. `audit-denials` carries the
 * refusals the gateway decided on patient routes; `<service>-dead-letter` the messages a
 * service's consumers can never apply. The list itself lives in topics.json.
 */
export const Topics = topicList.topics;

/** Partitions of every topic (compose, the local broker and the CDK environments use this many). */
export const TOPIC_PARTITIONS = topicList.partitions;

export type Topic = (typeof Topics)[keyof typeof Topics];
