import { InvalidConfigurationError, describeConfig, loadConfig } from '@pm/platform';
import { gatewayConfigSchema } from './gateway.config';

describe('gateway configuration', () => {
  const load = (env: Record<string, string> = {}) => loadConfig(gatewayConfigSchema, 'gateway', env);

  it('defaults to 300 requests per user and 600 per address a minute, no CORS origins, 1 MiB bodies, no trusted proxies', () => {
    expect(load()).toMatchObject({
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_AUTHENTICATED_POINTS: 300,
      RATE_LIMIT_ANONYMOUS_POINTS: 600,
      RATE_LIMIT_KEY_PREFIX: 'gateway-rate-limit',
      CORS_ALLOWED_ORIGINS: [],
      MAX_BODY_BYTES: 1_048_576,
      TRUSTED_PROXIES: [],
    });
  });

  it('reads TRUSTED_PROXIES as addresses, CIDR blocks and named ranges, refusing anything else', () => {
    expect(load({ TRUSTED_PROXIES: '10.0.0.0/24, 10.0.1.0/24,fd00::/8, loopback, 192.0.2.1' }).TRUSTED_PROXIES).toEqual([
      '10.0.0.0/24',
      '10.0.1.0/24',
      'fd00::/8',
      'loopback',
      '192.0.2.1',
    ]);
    for (const bad of ['10.0.0.0/33', 'alb.example.com', '10.0.0/24', 'true']) {
      expect(() => load({ TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });

  it('reads a comma-separated origin list, ignoring blanks and spaces', () => {
    expect(load({ CORS_ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:3000,,' }).CORS_ALLOWED_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
  });

  it.each(['*', 'https://app.example.com/', 'app.example.com', 'https://*.example.com', 'ftp://x.example'])(
    'refuses the origin %p, naming CORS_ALLOWED_ORIGINS',
    (origin) => {
      expect(() => load({ CORS_ALLOWED_ORIGINS: origin })).toThrow(InvalidConfigurationError);
      expect(() => load({ CORS_ALLOWED_ORIGINS: origin })).toThrow(/CORS_ALLOWED_ORIGINS: each origin must be/);
    },
  );

  it.each([
    ['RATE_LIMIT_AUTHENTICATED_POINTS', '0'],
    ['RATE_LIMIT_ANONYMOUS_POINTS', 'many'],
    ['RATE_LIMIT_WINDOW_SECONDS', '-1'],
    ['MAX_BODY_BYTES', '1.5'],
    ['RATE_LIMIT_KEY_PREFIX', 'has spaces'],
  ])('refuses %s=%p, naming the variable', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('describes every variable for the README table, with its default', () => {
    const variables = new Map(describeConfig(gatewayConfigSchema).map((v) => [v.name, v]));
    for (const name of ['RATE_LIMIT_WINDOW_SECONDS', 'RATE_LIMIT_AUTHENTICATED_POINTS', 'RATE_LIMIT_ANONYMOUS_POINTS', 'RATE_LIMIT_KEY_PREFIX', 'CORS_ALLOWED_ORIGINS', 'MAX_BODY_BYTES']) {
      expect(variables.get(name)?.description).toEqual(expect.any(String));
    }
    expect(variables.get('CORS_ALLOWED_ORIGINS')?.default).toBe('');
    expect(variables.get('MAX_BODY_BYTES')?.default).toBe('1048576');
  });
});
