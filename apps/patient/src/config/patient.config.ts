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
    CACHE_REDIS_URL: z
      .url({ protocol: /^rediss?$/ })
      .optional()
      .describe('Redis for the read cache of patients by id (rediss:// for TLS); REDIS_URL when unset'),
    PATIENT_CACHE_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86400)
      .default(300)
      .describe('How long a patient read stays in the cache; writes replace it at once, this only bounds memory'),
  });

export type PatientConfig = z.infer<typeof patientConfigSchema>;
