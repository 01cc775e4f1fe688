import { z } from 'zod';
import { bodyLimitSchema, httpSchema, kafkaSchema, redisSchema, runtimeSchema, tokenVerificationSchema, TRUSTED_PROXIES_DESCRIPTION, trustedProxiesSchema } from '@pm/platform';

const serviceUrl = (defaultUrl: string) => z.url({ protocol: /^https?$/ }).default(defaultUrl);
const positiveInt = (min: number, max: number, defaultValue: number) => z.coerce.number().int().min(min).max(max).default(defaultValue);

/** `https://a.example,https://b.example` → the exact origins a browser may call the API from. */
const originList = z
  .string()
  .default('')
  .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
  .pipe(
    z.array(
      z
        .string()
        .regex(/^https?:\/\/[^/\s?#*]+$/, 'each origin must be scheme://host[:port], without a path or wildcard'),
    ),
  );

export const gatewayConfigSchema = runtimeSchema
  .extend(httpSchema(4004).shape)
  .extend(bodyLimitSchema.shape)
  .extend(redisSchema.shape)
  .extend(kafkaSchema.shape)
  .extend(tokenVerificationSchema.shape)
  .extend(trustedProxiesSchema('', TRUSTED_PROXIES_DESCRIPTION).shape)
  .extend({
    AUTH_SERVICE_URL: serviceUrl('http://127.0.0.1:4005').describe('Base URL of the auth service'),
    PATIENT_SERVICE_URL: serviceUrl('http://127.0.0.1:4000').describe('Base URL of the patient service'),
    BILLING_SERVICE_URL: serviceUrl('http://127.0.0.1:4001').describe('Base URL of the billing service'),
    ANALYTICS_SERVICE_URL: serviceUrl('http://127.0.0.1:4002').describe('Base URL of the analytics service'),
    APPOINTMENT_SERVICE_URL: serviceUrl('http://127.0.0.1:4006').describe('Base URL of the appointment service'),
    UPSTREAM_TIMEOUT_MS: positiveInt(100, 300_000, 10_000).describe(
      'How long a proxied request may wait for the service to answer before the gateway answers 504',
    ),
    AUTH_UPSTREAM_TIMEOUT_MS: positiveInt(100, 300_000, 40_000).describe(
      "How long a request to auth may wait before the gateway answers 504: longer than UPSTREAM_TIMEOUT_MS, since auth slows logins to an account under attack by up to its LOGIN_ACCOUNT_MAX_DELAY_SECONDS (30 s)",
    ),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(1, 86_400, 60).describe('Length of the rate-limit window, in seconds'),
    RATE_LIMIT_AUTHENTICATED_POINTS: positiveInt(1, 1_000_000, 300).describe(
      'Requests one user (by token subject) may make through the gateway per rate-limit window',
    ),
    RATE_LIMIT_ANONYMOUS_POINTS: positiveInt(1, 1_000_000, 600).describe(
      'Requests one client address may make per window without a verified token: public routes (/auth, /docs, /api-docs) and ' +
        'requests refused with 401; generous, so a clinic behind one address never meets it',
    ),
    RATE_LIMIT_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1-64 letters, digits, colons, dashes or underscores')
      .default('gateway-rate-limit')
      .describe('Prefix of the rate-limit counters in Redis (separates deployments sharing one Redis)'),
    CORS_ALLOWED_ORIGINS: originList.describe(
      'Comma-separated browser origins allowed to call the API cross-origin (exact scheme://host[:port]); empty allows none',
    ),
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
