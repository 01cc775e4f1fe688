import { z } from 'zod';

/**
 * Configuration fragments shared by the services. Each app composes its schema from these, so the
 * variable names are the same everywhere and docker-compose / CDK can be checked against them.
 */
// 0 asks the OS for a free port (tests).
const port = z.coerce.number().int().min(0).max(65535);
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const runtimeSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const httpSchema = (defaultPort: number) =>
  z.object({
    HTTP_HOST: z.string().min(1).default('0.0.0.0'),
    HTTP_PORT: port.default(defaultPort),
  });

export const databaseSchema = (defaultName: string) =>
  z.object({
    DB_HOST: z.string().min(1).default('127.0.0.1'),
    DB_PORT: port.default(5432),
    DB_USER: z.string().min(1).default('postgres'),
    DB_PASSWORD: z.string().default(''),
    DB_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier').default(defaultName),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    DB_SSL: booleanFlag.default(false),
  });

export const kafkaSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
    .default('127.0.0.1:9092'),
});

export const redisSchema = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
});

/** How a service verifies the access tokens issued by auth. */
export const tokenVerificationSchema = z.object({
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4005/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('patient-management-auth'),
  JWT_AUDIENCE: z.string().min(1).default('patient-management'),
});

export const demoSeedSchema = z.object({
  DEMO_SEED: booleanFlag.default(false),
});

export const flag = booleanFlag;
export const portNumber = port;
