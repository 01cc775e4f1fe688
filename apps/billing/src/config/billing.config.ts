import { z } from 'zod';
import { databaseSchema, httpSchema, portNumber, redisSchema, runtimeSchema, tokenVerificationSchema } from '@pm/config';

export const billingConfigSchema = runtimeSchema
  .extend(httpSchema(4001).shape)
  .extend(databaseSchema('billing').shape)
  .extend(redisSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend({
    GRPC_HOST: z.string().min(1).default('0.0.0.0').describe('Interface the gRPC server binds'),
    GRPC_PORT: portNumber.default(9001).describe('gRPC port of BillingService (contract: 9001)'),
  });

export type BillingConfig = z.infer<typeof billingConfigSchema>;
