import { createECDH, createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { demoSeedSchema, redisSchema, serviceShape, tokenVerificationSchema } from '@pm/platform';

/** A private EC P-256 key in JWK form, as given in AUTH_SIGNING_KEYS. */
export interface SigningJwk {
  kty: 'EC';
  crv: 'P-256';
  kid: string;
  x: string;
  y: string;
  d: string;
}

class SigningKeysProblem extends Error {}

function stringMember(key: Record<string, unknown>, name: string, position: number): string {
  const value = key[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new SigningKeysProblem(`key ${position}: "${name}" must be a non-empty string`);
  }
  return value;
}

/** Checks one key fully (curve, private part, public part matching it) without echoing any of it. */
function signingJwk(candidate: unknown, position: number): SigningJwk {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    throw new SigningKeysProblem(`key ${position} must be a JWK object`);
  }
  const key = candidate as Record<string, unknown>;
  if (key.kty !== 'EC' || key.crv !== 'P-256') {
    throw new SigningKeysProblem(`key ${position} must have "kty": "EC" and "crv": "P-256"`);
  }
  if (key.alg !== undefined && key.alg !== 'ES256') {
    throw new SigningKeysProblem(`key ${position}: "alg" must be ES256 when given`);
  }
  const jwk: SigningJwk = {
    kty: 'EC',
    crv: 'P-256',
    kid: stringMember(key, 'kid', position),
    x: stringMember(key, 'x', position),
    y: stringMember(key, 'y', position),
    d: stringMember(key, 'd', position),
  };
  let derivedX: string;
  let derivedY: string;
  try {
    const privatePart = Buffer.from(jwk.d, 'base64url');
    if (privatePart.length !== 32) throw new Error('a P-256 private part is 32 bytes');
    // The public point is derived from d alone: Node's JWK import would trust the given x/y.
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(privatePart);
    const point = ecdh.getPublicKey(); // 0x04 || x || y
    derivedX = point.subarray(1, 33).toString('base64url');
    derivedY = point.subarray(33, 65).toString('base64url');
    createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }, format: 'jwk' });
  } catch {
    throw new SigningKeysProblem(`key ${position} is not a valid P-256 private key`);
  }
  // A mismatched x/y would publish a key that verifies none of the tokens signed with d.
  if (derivedX !== jwk.x || derivedY !== jwk.y) {
    throw new SigningKeysProblem(`key ${position}: "x"/"y" do not belong to its private part "d"`);
  }
  return jwk;
}

/** Parses AUTH_SIGNING_KEYS; error messages name the position of the bad key, never its content. */
export function parseSigningJwks(raw: string): SigningJwk[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // JSON.parse's own message quotes the input, which here is key material.
    throw new SigningKeysProblem('must be valid JSON (an array of private EC P-256 JWKs)');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new SigningKeysProblem('must be a non-empty JSON array of private EC P-256 JWKs');
  }
  const keys = parsed.map((candidate, index) => signingJwk(candidate, index + 1));
  if (new Set(keys.map((key) => key.kid)).size !== keys.length) {
    throw new SigningKeysProblem('every key must have a different "kid"');
  }
  return keys;
}

const signingKeysSchema = z.string().transform((raw, ctx): SigningJwk[] => {
  try {
    return parseSigningJwks(raw);
  } catch (error) {
    if (!(error instanceof SigningKeysProblem)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

const seconds = (defaultValue: number, max: number) => z.coerce.number().int().min(1).max(max).default(defaultValue);
const count = (defaultValue: number) => z.coerce.number().int().min(1).max(10_000).default(defaultValue);

export const authConfigSchema = z
  .object({
    ...serviceShape(4005, 'auth'),
    ...demoSeedSchema.shape,
    ...tokenVerificationSchema.pick({ JWT_ISSUER: true, JWT_AUDIENCE: true }).shape,
    ...redisSchema.shape,
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900).describe('Lifetime of an access token in seconds'),
    REFRESH_TOKEN_TTL_SECONDS: seconds(1_209_600, 31_536_000).describe(
      'Lifetime of a refresh token in seconds (14 days); each refresh issues a new one, so a session idle this long ends',
    ),
    // Login throttling, after rate-limiter-flexible's "login endpoint protection": a pair (one
    // account from one address) is blocked after consecutive failures, an address after many
    // failures a day across accounts, and an account from everywhere is only slowed, never locked.
    LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES: count(10).describe(
      'Consecutive failed logins for one account from one client address before that pair gets 429 (a success resets it)',
    ),
    LOGIN_PAIR_FIRST_BLOCK_SECONDS: seconds(1, 86_400).describe(
      'How long a pair is blocked on reaching LOGIN_PAIR_MAX_CONSECUTIVE_FAILURES; each further failure doubles it',
    ),
    LOGIN_PAIR_MAX_BLOCK_SECONDS: seconds(900, 86_400).describe('The longest a pair (one account from one address) is blocked'),
    LOGIN_PAIR_MEMORY_SECONDS: seconds(86_400, 7_776_000).describe(
      "How long a pair's consecutive failures are remembered without a success (counted from the first)",
    ),
    LOGIN_ADDRESS_MAX_FAILURES: count(100).describe(
      'Failed logins from one client address, to any accounts, within LOGIN_ADDRESS_WINDOW_SECONDS before its logins get 429',
    ),
    LOGIN_ADDRESS_WINDOW_SECONDS: seconds(86_400, 604_800).describe(
      'Window in seconds (a day) over which failed logins per client address are counted',
    ),
    LOGIN_ACCOUNT_FREE_FAILURES: count(10).describe(
      'Failed logins for one account, from all addresses, within LOGIN_ACCOUNT_WINDOW_SECONDS before its logins are slowed (never refused)',
    ),
    LOGIN_ACCOUNT_WINDOW_SECONDS: seconds(3_600, 86_400).describe(
      'Window in seconds over which failed logins per account are counted (a success resets it)',
    ),
    LOGIN_ACCOUNT_FIRST_DELAY_MS: z.coerce
      .number()
      .int()
      .min(1)
      .max(60_000)
      .default(500)
      .describe('Delay before checking a password once an account is past LOGIN_ACCOUNT_FREE_FAILURES; doubles with each further failure'),
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS: seconds(30, 120).describe(
      "The longest a login to a slowed account waits before its password is checked (keep it below the gateway's AUTH_UPSTREAM_TIMEOUT_MS)",
    ),
    LOGIN_THROTTLE_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, 'must be 1 to 64 letters, digits, ":", "_" or "-"')
      .default('auth:login-failures')
      .describe('Redis key prefix of the failed-login counters (a separate copy of the system uses its own)'),
    PASSWORD_MIN_SCORE: z.coerce
      .number()
      .int()
      .min(0)
      .max(4)
      .default(3)
      .describe('Lowest zxcvbn strength score (0 to 4) a new password must reach, on user creation and password reset'),
    /** The first key signs; every key is published in the JWKS, so an old key keeps verifying while it rotates out. */
    AUTH_SIGNING_KEYS: signingKeysSchema.optional().describe('JSON array of private EC P-256 JWKs with kid; the first signs'),
  })
  .superRefine((config, ctx) => {
    // An ephemeral key would change on every restart and differ between instances.
    if (config.NODE_ENV === 'production' && !config.AUTH_SIGNING_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_SIGNING_KEYS'],
        message: 'is required in production (a JSON array of private EC P-256 JWKs with kid)',
      });
    }
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;
