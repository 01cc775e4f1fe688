export * from './kafka.module';
export * from './event-publisher';
export * from './kafka-consumer.runner';
export * from './kafka.check';
export * from './kafka-logger';
export * from './negative-timeout-warning';
export * from './topic-consumer';
export * from './kafka-fakes';
