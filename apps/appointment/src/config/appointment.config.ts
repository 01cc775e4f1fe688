import { z } from 'zod';
import { behindGatewaySchema, bodyLimitSchema, databaseSchema, httpSchema, kafkaSchema, outboxSchema, redisSchema, runtimeSchema, tokenVerificationSchema } from '@pm/platform';

export const appointmentConfigSchema = runtimeSchema
  .extend(httpSchema(4006).shape)
  .extend(bodyLimitSchema.shape)
  .extend(behindGatewaySchema.shape)
  .extend(databaseSchema('appointment').shape)
  .extend(kafkaSchema.shape)
  .extend(outboxSchema.shape)
  .extend(redisSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend({
    KAFKA_CONSUMER_GROUP: z
      .string()
      .min(1)
      .default('appointment')
      .describe('Consumer group that reads the patient topic into the local patient directory'),
    AUTH_SERVICE_URL: z
      .url()
      .default('http://127.0.0.1:4005')
      .describe("Base URL of the auth service, whose doctors directory says whether a doctorId is a DOCTOR"),
  });

export type AppointmentConfig = z.infer<typeof appointmentConfigSchema>;
