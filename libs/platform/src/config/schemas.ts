import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Configuration fragments shared by the services. Each app composes its schema from these, so the
 * variable names are the same everywhere and docker-compose / CDK can be checked against them.
 */
// 0 asks the OS for a free port (tests).
const port = z.coerce.number().int().min(0).max(65535);
/** A true/false variable; the default is given as text so documentation shows it. */
const booleanFlag = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const runtimeSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('development, test or production (production forbids development shortcuts)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Minimum level of the JSON logs'),
});

export const httpSchema = (defaultPort: number) =>
  z.object({
    HTTP_HOST: z.string().min(1).default('0.0.0.0').describe('Interface the HTTP server binds'),
    HTTP_PORT: port.default(defaultPort).describe('HTTP port (contract port by default)'),
  });

export const databaseSchema = (defaultName: string) =>
  z.object({
    DB_HOST: z.string().min(1).default('127.0.0.1').describe('PostgreSQL host'),
    DB_PORT: port.default(5432).describe('PostgreSQL port'),
    DB_USER: z.string().min(1).default('postgres').describe('PostgreSQL user'),
    DB_PASSWORD: z.string().default('').describe('PostgreSQL password (secret; empty for trust auth)'),
    DB_NAME: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier').default(defaultName).describe("The service's own database"),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10).describe('Connection pool size'),
    DB_SSL: booleanFlag(false).describe('Connect to PostgreSQL over TLS (true on AWS RDS)'),
  });

export const kafkaSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
    .default('127.0.0.1:9092')
    .describe('Kafka bootstrap brokers, host:port[,host:port]'),
  KAFKA_SSL: booleanFlag(false).describe('Connect to Kafka over TLS (true on AWS MSK)'),
  KAFKA_SASL_MECHANISM: z
    .enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512'])
    .default('none')
    .describe('Kafka SASL mechanism (scram-sha-512 on AWS MSK)'),
  KAFKA_SASL_USERNAME: z.string().default('').describe('Kafka SASL user name'),
  KAFKA_SASL_PASSWORD: z.string().default('').describe('Kafka SASL password (secret)'),
});

export const redisSchema = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379').describe('Redis URL (rediss:// for TLS)'),
});

/** How a service verifies the access tokens issued by auth. */
export const tokenVerificationSchema = z.object({
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4005/.well-known/jwks.json').describe("auth's published public keys"),
  JWT_ISSUER: z.string().min(1).default('patient-management-auth').describe('Issuer (iss) of access tokens'),
  JWT_AUDIENCE: z.string().min(1).default('patient-management').describe('Audience (aud) of access tokens'),
});

/** One limit for request bodies, the same at the gateway (which forwards) and at each service (which parses). */
export const bodyLimitSchema = z.object({
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024)
    .describe('Largest request body accepted, in bytes (the gateway forwards none larger, a service parses none larger); larger bodies get 413'),
});
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR block (`10.0.0.0/22`, `fd00::/8`) or one of Express's names for a range. */
function isProxyAddress(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUSTED_PROXIES: the peers whose X-Forwarded-For (and -Proto, -Host) a service believes, so its
 * client address (rate limits, audit `sourceIp`) is the one they name. Anyone else's headers are
 * ignored and the peer itself is the client. Empty trusts none.
 */
export const trustedProxiesSchema = (defaultValue: string, description: string) =>
  z.object({
    TRUSTED_PROXIES: z
      .string()
      .default(defaultValue)
      .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine(isProxyAddress, 'each entry must be an IP address, a CIDR block, loopback, linklocal or uniquelocal')))
      .describe(description),
  });

/** One description for the gateway and the services, since the configuration table lists a variable once. */
export const TRUSTED_PROXIES_DESCRIPTION =
  'Comma-separated addresses or CIDR blocks whose X-Forwarded-For names the client (rate limits, audit sourceIp, login throttling): ' +
  "at the gateway the load balancers in front (the ALB's subnets on AWS; empty, the default, trusts none), " +
  "at every other service the gateway (loopback locally, the gateway's subnets on AWS)";

/** Every service behind the gateway: it trusts the gateway's forwarding headers only. */
export const behindGatewaySchema = trustedProxiesSchema('loopback', TRUSTED_PROXIES_DESCRIPTION);

export const demoSeedSchema = z.object({
  DEMO_SEED: booleanFlag(false).describe('Load the demo users/patients at start-up (never in production unless asked)'),
});

export const flag = booleanFlag;
export const portNumber = port;

/** The transactional outbox of a service that publishes through one (@pm/outbox). */
export const outboxSchema = z.object({
  OUTBOX_RETENTION_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(86400)
    .default(0)
    .describe(
      'How long an outbox row is kept after Kafka accepted it (to debug); 0 deletes it at once. Rows hold the events, patient names and emails included',
    ),
});

/**
 * The opening every service behind the gateway reads: runtime, HTTP, body limit, trusted gateway
 * and its own database. Shapes (not schemas) so an app spreads them into one z.object in the
 * order its variables are documented.
 */
export const serviceShape = (defaultPort: number, database: string) => ({
  ...runtimeSchema.shape,
  ...httpSchema(defaultPort).shape,
  ...bodyLimitSchema.shape,
  ...behindGatewaySchema.shape,
  ...databaseSchema(database).shape,
});

/**
 * A service that also reads Kafka and verifies access tokens (all but auth and the gateway).
 * `beforeRedis` keeps a service's own fragment (the outbox) where the configuration table lists it.
 */
export const eventServiceShape = <Extra extends z.ZodRawShape = Record<never, never>>(defaultPort: number, database: string, beforeRedis?: Extra) => ({
  ...serviceShape(defaultPort, database),
  ...kafkaSchema.shape,
  ...(beforeRedis ?? ({} as Extra)),
  ...redisSchema.shape,
  ...tokenVerificationSchema.shape,
});

/** KAFKA_CONSUMER_GROUP: every consumer names its group; the description says what that service reads. */
export const consumerGroup = (defaultGroup: string, description: string) => z.string().min(1).default(defaultGroup).describe(description);
