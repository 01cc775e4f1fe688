import { z } from 'zod';
import { httpSchema, redisSchema, runtimeSchema, tokenVerificationSchema } from '@pm/config';

const serviceUrl = (defaultUrl: string) => z.url({ protocol: /^https?$/ }).default(defaultUrl);

export const gatewayConfigSchema = runtimeSchema
  .extend(httpSchema(4004).shape)
  .extend(redisSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend({
    AUTH_SERVICE_URL: serviceUrl('http://127.0.0.1:4005').describe('Base URL of the auth service'),
    PATIENT_SERVICE_URL: serviceUrl('http://127.0.0.1:4000').describe('Base URL of the patient service'),
    BILLING_SERVICE_URL: serviceUrl('http://127.0.0.1:4001').describe('Base URL of the billing service'),
    ANALYTICS_SERVICE_URL: serviceUrl('http://127.0.0.1:4002').describe('Base URL of the analytics service'),
    APPOINTMENT_SERVICE_URL: serviceUrl('http://127.0.0.1:4006').describe('Base URL of the appointment service'),
    UPSTREAM_TIMEOUT_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(300_000)
      .default(10_000)
      .describe('How long a proxied request may wait for the service to answer before the gateway answers 504'),
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
