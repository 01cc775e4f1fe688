import { decodeProtectedHeader, type CompactJWSHeaderParameters, type FlattenedJWSInput, type JWTVerifyGetKey } from 'jose';
import { passportJwtSecret } from 'jwks-rsa';
import { KeyObject, createPublicKey, type JsonWebKey, type webcrypto } from 'node:crypto';
import { types } from 'node:util';
import type { SecretOrKeyProvider } from 'passport-jwt';
import { TokenKeysUnavailableError } from './access-token.errors';

/**
 * Where the strategy gets the public key for a token's `kid`. A provider answers no key (so the
 * token is refused as invalid, 401) when the kid is unknown, and TokenKeysUnavailableError (503)
 * when the keys themselves cannot be had.
 */
export type AccessTokenKeyProvider = SecretOrKeyProvider;

/** How long fetched keys are trusted before auth's JWKS is read again. */
const KEY_CACHE_MS = 10 * 60_000;
/** A JWKS request that takes longer counts as auth being unavailable. */
const JWKS_TIMEOUT_MS = 2000;
/** Unknown kids trigger a fetch; this caps the fetches a flood of forged kids can cause. */
const JWKS_REQUESTS_PER_MINUTE = 10;

/**
 * auth's published keys (jwks-rsa): fetched on first use, cached per kid, fetched again when a
 * token names a kid not seen yet (a rotated-in key), so a rotation needs no restart.
 */
export function jwksKeyProvider(jwksUri: string): AccessTokenKeyProvider {
  return passportJwtSecret({
    jwksUri,
    cache: true,
    cacheMaxAge: KEY_CACHE_MS,
    rateLimit: true,
    jwksRequestsPerMinute: JWKS_REQUESTS_PER_MINUTE,
    timeout: JWKS_TIMEOUT_MS,
    handleSigningKeyError: (error, done) => {
      // No key with that kid: the token is not ours. Anything else (unreachable, slow, no keys,
      // too many fetches) says nothing about the token.
      if (error?.name === 'SigningKeyNotFoundError') return done(null);
      done(new TokenKeysUnavailableError(`The token keys are unavailable: ${error?.message}`));
    },
  });
}

// jose's answers for a token no key of the set can verify (as opposed to a set that cannot be read).
const NO_MATCHING_KEY = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED']);

/** A jose key set (e.g. auth's own keys via createLocalJWKSet) as a key provider. */
export function keySetKeyProvider(keys: JWTVerifyGetKey): AccessTokenKeyProvider {
  return (_request, rawJwtToken: string, done) => {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(rawJwtToken);
    } catch {
      header = {};
    }
    // Not a JWT, or no alg to pick a key by: no key, so jsonwebtoken refuses the token.
    if (typeof header.alg !== 'string') return done(null);
    Promise.resolve()
      .then(() => keys(header as CompactJWSHeaderParameters, { payload: '', signature: '' } satisfies FlattenedJWSInput))
      .then(
        (key) => done(null, publicKeyPem(key)),
        (error: { code?: string; message?: string }) =>
          done(NO_MATCHING_KEY.has(error.code ?? '') ? null : new TokenKeysUnavailableError(`The token keys are unavailable: ${error.message}`)),
      );
  };
}

/** The PEM jsonwebtoken takes, for a public key in any of jose's forms; undefined for anything else. */
function publicKeyPem(key: unknown): string | undefined {
  if (key instanceof Uint8Array) return undefined; // a shared secret is never an access-token key
  const object =
    key instanceof KeyObject
      ? key
      : types.isCryptoKey(key)
        ? KeyObject.from(key as webcrypto.CryptoKey)
        : createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  return object.type === 'public' ? object.export({ type: 'spki', format: 'pem' }).toString() : undefined;
}
