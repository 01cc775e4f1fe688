import { z } from 'zod';
import { consumerGroup, eventServiceShape, outboxSchema, portNumber } from '@pm/platform';

export const billingConfigSchema = z.object({
  ...eventServiceShape(4001, 'billing', outboxSchema.shape),
  GRPC_HOST: z.string().min(1).default('0.0.0.0').describe('Interface the gRPC server binds'),
  GRPC_PORT: portNumber.default(9001).describe('gRPC port of BillingService (contract: 9001)'),
  KAFKA_CONSUMER_GROUP: consumerGroup(
    'billing',
    'Kafka consumer group of the service (billing: reads `appointment` to invoice completed appointments)',
  ),
  BILLING_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .default('EUR')
    .describe('ISO 4217 currency of the price list; every invoice and balance is in it'),
  APPOINTMENT_PRICE_MINOR: z
    .string()
    // Digits only: "50.00" must not quietly become 50 cents.
    .regex(/^\d{1,15}$/, 'must be a whole number of minor units, digits only (5000 means 50.00)')
    .transform(Number)
    .prefault('5000')
    .describe('Price of a completed appointment, in minor units of BILLING_CURRENCY (5000 = 50.00)'),
});

export type BillingConfig = z.infer<typeof billingConfigSchema>;
