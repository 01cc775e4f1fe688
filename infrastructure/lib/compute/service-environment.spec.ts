import { z } from 'zod';
import { describeConfig } from '@pm/platform';
import { type AppDefinition, apps } from '../apps';
import { isSecretVariable, type PlatformValues, serviceEnvironment } from './service-environment';

function definition(name: string, schema: z.ZodObject, httpPort: number, grpcPort?: number): AppDefinition {
  return {
    name: name as AppDefinition['name'],
    schema,
    variables: describeConfig(schema),
    httpPort,
    grpcPort,
    usesKafka: false,
    usesRedis: false,
  };
}

const billing = definition('billing', z.object({}), 4001, 9001);
const auth = definition('auth', z.object({}), 4005);
const platform: PlatformValues<string> = {
  plain: { NODE_ENV: 'production', DB_HOST: 'db.internal', DB_PORT: '5432', UNKNOWN_TO_ANY_APP: 'x' },
  secrets: { DB_PASSWORD: 'secret:db-password', REDIS_URL: 'secret:redis-url', API_TOKEN: 'secret:token' },
  serviceHost: (app) => `${app}.ns.internal`,
};

describe('serviceEnvironment', () => {
  const caller = definition(
    'caller',
    z.object({
      NODE_ENV: z.enum(['development', 'production']).default('development'),
      DB_HOST: z.string().default('127.0.0.1'),
      DB_PORT: z.coerce.number().default(5432),
      DB_PASSWORD: z.string().default('').describe('PostgreSQL password (secret)'),
      REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
      BILLING_GRPC_URL: z.string().default('127.0.0.1:9001'),
      AUTH_JWKS_URL: z.string().default('http://127.0.0.1:4005/.well-known/jwks.json'),
      LOG_LEVEL: z.string().default('info'),
      CORS_ALLOWED_ORIGINS: z.string().default(''),
    }),
    4100,
  );
  const all = [caller, billing, auth];
  const generated = serviceEnvironment(caller, all, platform, { CORS_ALLOWED_ORIGINS: 'https://clinic.example' });

  it('sets platform values the schema knows, only where they differ from the default', () => {
    expect(generated.environment).toEqual({
      NODE_ENV: 'production',
      DB_HOST: 'db.internal',
      BILLING_GRPC_URL: 'billing.ns.internal:9001',
      AUTH_JWKS_URL: 'http://auth.ns.internal:4005/.well-known/jwks.json',
      CORS_ALLOWED_ORIGINS: 'https://clinic.example',
    });
  });

  it('injects secrets as secrets, never as plain values', () => {
    expect(generated.secrets).toEqual({ DB_PASSWORD: 'secret:db-password', REDIS_URL: 'secret:redis-url' });
    expect(Object.keys(generated.environment)).not.toEqual(expect.arrayContaining(['DB_PASSWORD', 'REDIS_URL']));
  });

  it('records the calls found in loopback defaults, with the callee port', () => {
    expect(generated.calls).toEqual([
      { app: 'billing', port: 9001, variable: 'BILLING_GRPC_URL' },
      { app: 'auth', port: 4005, variable: 'AUTH_JWKS_URL' },
    ]);
  });

  it('refuses an override the schema does not know', () => {
    expect(() => serviceEnvironment(caller, all, platform, { CORS_ORIGINS: 'x' })).toThrow(
      'caller: its config schema has no variable CORS_ORIGINS',
    );
  });

  it('refuses a required variable nobody provides', () => {
    const needy = definition('needy', z.object({ LICENSE_KEY: z.string().min(1) }), 4200);
    expect(() => serviceEnvironment(needy, [needy], platform)).toThrow('needy: LICENSE_KEY is required and has no value');
  });

  it('refuses a required secret the platform does not provide', () => {
    const needy = definition('needy', z.object({ SIGNING_SECRET: z.string().describe('HMAC key (secret)') }), 4200);
    expect(() => serviceEnvironment(needy, [needy], platform)).toThrow(
      'needy: SIGNING_SECRET is a required secret the platform does not provide',
    );
  });

  it('refuses a loopback default it cannot point anywhere', () => {
    const lost = definition('lost', z.object({ SEARCH_URL: z.string().default('http://127.0.0.1:9200') }), 4200);
    expect(() => serviceEnvironment(lost, [lost], platform)).toThrow(
      'lost: SEARCH_URL defaults to http://127.0.0.1:9200, which the platform does not replace',
    );
  });

  it('knows secrets by name and by description', () => {
    expect(['DB_PASSWORD', 'AUTH_SIGNING_KEYS', 'REDIS_URL'].every((name) => isSecretVariable(name))).toBe(true);
    expect(isSecretVariable('API_TOKEN', 'Token for the API (secret)')).toBe(true);
    expect(isSecretVariable('DB_HOST', 'PostgreSQL host')).toBe(false);
  });

  it('works for every real app schema: no app needs a value the platform cannot give', () => {
    const realPlatform: PlatformValues<string> = {
      plain: { NODE_ENV: 'production', DB_HOST: 'db', DB_USER: 'u', DB_SSL: 'true', KAFKA_BROKERS: 'b-1:9096' },
      secrets: { DB_PASSWORD: 's', REDIS_URL: 's', AUTH_SIGNING_KEYS: 's', KAFKA_SASL_PASSWORD: 's' },
      serviceHost: (app) => `${app}.ns`,
    };
    const problems = apps.flatMap((app) => {
      try {
        serviceEnvironment(app, apps, realPlatform);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(problems).toEqual([]);
  });
});
