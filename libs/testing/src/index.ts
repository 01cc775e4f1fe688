export * from './wait-for';
export * from './test-database';
export * from './kafka-topic-probe';
export * from './test-token-issuer';
export * from './access-matrix';
export * from './loopback-client';
export * from './fake-clock';
export * from './kafka-groups';
