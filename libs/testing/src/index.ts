export * from './wait-for';
export * from './test-database';
export * from './kafka-topic-probe';
