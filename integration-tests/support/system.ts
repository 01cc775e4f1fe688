/**
 * Where the end-to-end suite's own copy of the system runs: every port shifted by 10000 and its
 * own databases and consumer groups, so it never disturbs a developer's `npm start`.
 */
export const E2E_PORT_OFFSET = 10000;
export const gatewayUrl = `http://127.0.0.1:${4004 + E2E_PORT_OFFSET}`;
export const billingGrpcAddress = `127.0.0.1:${9001 + E2E_PORT_OFFSET}`;
export const kafkaBrokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
export const analyticsGroupFile = '.cache/e2e-analytics-group';
