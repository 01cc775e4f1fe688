import { z } from 'zod';
import { consumerGroup, eventServiceShape } from '@pm/platform';

export const analyticsConfigSchema = z.object({
  ...eventServiceShape(4002, 'analytics'),
  KAFKA_CONSUMER_GROUP: consumerGroup('analytics', 'Kafka consumer group; a new group re-reads every topic from the beginning'),
  REVENUE_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR')
    .describe('Currency GET /analytics/revenue reports when the request names none'),
  STREAM_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5000)
    // Below the gateway's UPSTREAM_TIMEOUT_MS (10 s), which also bounds silence on an open stream.
    .describe('How often GET /analytics/stream sends a comment line so proxies keep the connection open'),
  STREAM_REVOCATION_CHECK_MS: z.coerce
    .number()
    .int()
    .min(250)
    .max(60_000)
    .default(1500)
    .describe("How often an open GET /analytics/stream checks the revocation list for its token (logout, disabled user); the stream ends within this of a revocation"),
});

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
