import { z } from 'zod';
import { databaseSchema, demoSeedSchema, httpSchema, kafkaSchema, redisSchema, runtimeSchema, tokenVerificationSchema } from '@pm/config';

export const patientConfigSchema = runtimeSchema
  .extend(httpSchema(4000).shape)
  .extend(databaseSchema('patient').shape)
  .extend(kafkaSchema.shape)
  .extend(redisSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend(demoSeedSchema.shape)
  .extend({
    BILLING_GRPC_URL: z
      .string()
      .regex(/^[^:\s/]+:\d{1,5}$/, 'must be host:port')
      .default('127.0.0.1:9001')
      .describe("Billing's gRPC endpoint (host:port) where new patients get their billing account"),
    BILLING_GRPC_DEADLINE_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(60000)
      .default(2000)
      .describe('How long a patient request waits for billing before giving up on it'),
  });

export type PatientConfig = z.infer<typeof patientConfigSchema>;
