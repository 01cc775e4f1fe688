import { z } from 'zod';
import { behindGatewaySchema, bodyLimitSchema, databaseSchema, httpSchema, kafkaSchema, outboxSchema, portNumber, redisSchema, runtimeSchema, tokenVerificationSchema } from '@pm/platform';

export const billingConfigSchema = runtimeSchema
  .extend(httpSchema(4001).shape)
  .extend(bodyLimitSchema.shape)
  .extend(behindGatewaySchema.shape)
  .extend(databaseSchema('billing').shape)
  .extend(kafkaSchema.shape)
  .extend(outboxSchema.shape)
  .extend(redisSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend({
    GRPC_HOST: z.string().min(1).default('0.0.0.0').describe('Interface the gRPC server binds'),
    GRPC_PORT: portNumber.default(9001).describe('gRPC port of BillingService (contract: 9001)'),
    KAFKA_CONSUMER_GROUP: z
      .string()
      .min(1)
      .default('billing')
      .describe('Kafka consumer group of the service (billing: reads `appointment` to invoice completed appointments)'),
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
