import { z } from 'zod';
import { databaseSchema, httpSchema, kafkaSchema, redisSchema, runtimeSchema, tokenVerificationSchema } from '@pm/config';

export const analyticsConfigSchema = runtimeSchema
  .extend(httpSchema(4002).shape)
  .extend(databaseSchema('analytics').shape)
  .extend(kafkaSchema.shape)
  .extend(redisSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend({
    KAFKA_CONSUMER_GROUP: z
      .string()
      .min(1)
      .default('analytics')
      .describe('Kafka consumer group; a new group re-reads every topic from the beginning'),
  });

export type AnalyticsConfig = z.infer<typeof analyticsConfigSchema>;
