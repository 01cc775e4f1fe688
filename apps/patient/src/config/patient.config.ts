import { z } from 'zod';
import { consumerGroup, demoSeedSchema, eventServiceShape, outboxSchema } from '@pm/platform';

export const patientConfigSchema = z
  .object({
    ...eventServiceShape(4000, 'patient', outboxSchema.shape),
    ...demoSeedSchema.shape,
    KAFKA_CONSUMER_GROUP: consumerGroup(
      'patient',
      'Kafka consumer group of the service (patient: `<group>-audit-denials` reads the refusals the gateway audits, `<group>-care-team` the appointments that make care teams)',
    ),
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
    BILLING_ACCOUNT_QUEUE_AFTER_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(3600000)
      .default(10000)
      .describe(
        "How long a registration's billing-account request, recorded with the patient, waits for billing to confirm over gRPC; " +
          'unconfirmed by then (billing down, or the service died before the call), it is published on billing-account',
      ),
    APPOINTMENT_SERVICE_URL: z
      .url({ protocol: /^https?$/ })
      .default('http://127.0.0.1:4006')
      .describe("Base URL of the appointment service, whose FHIR Appointments `Patient/{id}/$everything` includes (asked with the caller's token)"),
    APPOINTMENT_SERVICE_DEADLINE_MS: z.coerce
      .number()
      .int()
      .min(100)
      .max(60000)
      .default(3000)
      .describe('How long `$everything` waits for the appointment service before answering 504'),
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
    IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(8760)
      .default(24)
      .describe('How long an Idempotency-Key replays its create; an older key is forgotten (purged) and a create with it is a new one'),
    PATIENT_ENCRYPTION_KEYS: z
      .string()
      .refine(isKeySet, 'must be a JSON object {"<keyId>": "<base64 of 32 random bytes>", ...}; key ids without ":"')
      .optional()
      .describe(
        '(secret) JSON object of AES-256-GCM keys for address and birth date at rest, {"<keyId>": "<base64 32-byte key>"}; ' +
          'keep old keys while rows still use them. Required in production; elsewhere a development key derived from DB_NAME is used',
      ),
    PATIENT_ENCRYPTION_KEY_ID: z
      .string()
      .min(1)
      .optional()
      .describe('The id (in PATIENT_ENCRYPTION_KEYS) of the key that encrypts new values; required with PATIENT_ENCRYPTION_KEYS'),
    PATIENT_BLIND_INDEX_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length >= 32, 'must be base64 of at least 32 random bytes')
      .optional()
      .describe(
        '(secret) base64 HMAC key (32+ bytes) for the birth-date index used to find duplicates; never rotate without rebuilding ' +
          'the index. Required in production; elsewhere a development key derived from DB_NAME is used',
      ),
  })
  .superRefine((config, ctx) => {
    const required = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (config.PATIENT_ENCRYPTION_KEYS && !config.PATIENT_ENCRYPTION_KEY_ID) required('PATIENT_ENCRYPTION_KEY_ID', 'is required with PATIENT_ENCRYPTION_KEYS');
    const keySet = config.PATIENT_ENCRYPTION_KEYS && isKeySet(config.PATIENT_ENCRYPTION_KEYS) ? (JSON.parse(config.PATIENT_ENCRYPTION_KEYS) as object) : undefined;
    if (keySet && config.PATIENT_ENCRYPTION_KEY_ID && !Object.hasOwn(keySet, config.PATIENT_ENCRYPTION_KEY_ID)) {
      required('PATIENT_ENCRYPTION_KEY_ID', 'must name a key in PATIENT_ENCRYPTION_KEYS');
    }
    // A development key is derivable by anyone who knows the database name.
    if (config.NODE_ENV !== 'production') return;
    if (!config.PATIENT_ENCRYPTION_KEYS) required('PATIENT_ENCRYPTION_KEYS', 'is required in production (JSON object of base64 32-byte keys)');
    if (!config.PATIENT_ENCRYPTION_KEY_ID) required('PATIENT_ENCRYPTION_KEY_ID', 'is required in production');
    if (!config.PATIENT_BLIND_INDEX_KEY) required('PATIENT_BLIND_INDEX_KEY', 'is required in production (base64 of 32+ random bytes)');
  });

function isKeySet(value: string): boolean {
  try {
    const keys = JSON.parse(value) as unknown;
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) return false;
    return Object.entries(keys).every(
      ([id, key]) => id !== '' && !id.includes(':') && typeof key === 'string' && Buffer.from(key, 'base64').length === 32,
    );
  } catch {
    return false;
  }
}

export type PatientConfig = z.infer<typeof patientConfigSchema>;
