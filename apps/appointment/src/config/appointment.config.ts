import { z } from 'zod';
import { consumerGroup, eventServiceShape, outboxSchema } from '@pm/platform';

export const appointmentConfigSchema = z.object({
  ...eventServiceShape(4006, 'appointment', outboxSchema.shape),
  KAFKA_CONSUMER_GROUP: consumerGroup('appointment', 'Consumer group that reads the patient topic into the local patient directory'),
  AUTH_SERVICE_URL: z
    .url()
    .default('http://127.0.0.1:4005')
    .describe("Base URL of the auth service, whose doctors directory says whether a doctorId is a DOCTOR"),
});

export type AppointmentConfig = z.infer<typeof appointmentConfigSchema>;
