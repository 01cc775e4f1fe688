import {
  createLocalJWKSet,
  decodeProtectedHeader,
  type CompactJWSHeaderParameters,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
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

/**
 * How long a fetched key set is used before auth's JWKS is read again (in the background: tokens
 * are never kept waiting for it). The README's "Key rotation" paragraph states this time.
 */
export const KEY_CACHE_MS = 5 * 60_000;
/** A JWKS request that takes longer counts as auth being unavailable. */
const JWKS_TIMEOUT_MS = 2000;
/**
 * A token naming a kid the cached set lacks triggers one refresh (a rotated-in key), shared by
 * every token waiting at that moment; after it, unknown kids get no other refresh for this long, so
 * a flood of made-up kids costs auth one request per period and never an error.
 */
export const UNKNOWN_KID_REFRESH_COOLDOWN_MS = 30_000;

export interface RemoteKeySetOptions {
  cacheMs?: number;
  unknownKidRefreshCooldownMs?: number;
  timeoutMs?: number;
}

/**
 * auth's published keys, fetched on first use and kept in memory. A key set that cannot be
 * fetched is an error (503) only while no keys are known; once some are, a failed fetch keeps
 * them. A kid still unknown after the one refresh it may cause is no key (the token is invalid).
 */
export class RemoteKeySet {
  private keys?: JWTVerifyGetKey;
  private fetchedAt = 0;
  private lastUnknownKidRefreshAt = Number.NEGATIVE_INFINITY;
  private lastFailedAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<void>;
  private readonly cacheMs: number;
  private readonly cooldownMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly url: string,
    options: RemoteKeySetOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? KEY_CACHE_MS;
    this.cooldownMs = options.unknownKidRefreshCooldownMs ?? UNKNOWN_KID_REFRESH_COOLDOWN_MS;
    this.timeoutMs = options.timeoutMs ?? JWKS_TIMEOUT_MS;
  }

  /** jose's key lookup, over the cached set. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    if (!this.keys) await this.refresh(); // nothing to answer from: a failure here is a 503
    else if (this.stale()) this.refresh().catch(() => undefined); // the known keys serve meanwhile
    try {
      return await this.keys!(header, token);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY' || !this.mayRefreshForUnknownKid()) throw error;
      this.lastUnknownKidRefreshAt = Date.now();
      await this.refresh().catch(() => undefined); // a failed refresh leaves the kid unknown: 401
      return this.keys!(header, token);
    }
  };

  private stale(): boolean {
    const now = Date.now();
    // After a failed fetch, wait a cooldown before the next background attempt.
    return now - this.fetchedAt >= this.cacheMs && now - this.lastFailedAt >= this.cooldownMs;
  }

  private mayRefreshForUnknownKid(): boolean {
    return this.pending !== undefined || Date.now() - this.lastUnknownKidRefreshAt >= this.cooldownMs;
  }

  /** One fetch at a time: callers arriving while one is under way share it. */
  private refresh(): Promise<void> {
    this.pending ??= this.fetchKeys().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`the JWKS endpoint answered ${response.status}`);
      const body = (await response.json()) as JSONWebKeySet;
      if (!Array.isArray(body?.keys)) throw new Error('the JWKS endpoint answered no key set');
      this.keys = createLocalJWKSet(body);
      this.fetchedAt = Date.now();
    } catch (error) {
      this.lastFailedAt = Date.now();
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
      throw new Error(`auth's JWKS could not be fetched: ${reason}`, { cause: error });
    }
  }
}

/** auth's published keys at `jwksUri` (RemoteKeySet), as a key provider. */
export function jwksKeyProvider(jwksUri: string, options?: RemoteKeySetOptions): AccessTokenKeyProvider {
  return keySetKeyProvider(new RemoteKeySet(jwksUri, options).getKey);
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
