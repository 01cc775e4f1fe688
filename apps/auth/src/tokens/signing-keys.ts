import { Logger } from '@nestjs/common';
import { ACCESS_TOKEN_ALGORITHM } from '@pm/auth-tokens';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK } from 'jose';
import { randomUUID } from 'node:crypto';
import type { SigningJwk } from '../config/auth.config';

/** A public key as the JWKS publishes it: only the public members, never `d`. */
export interface PublishedJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof ACCESS_TOKEN_ALGORITHM;
  use: 'sig';
}

export interface CurrentSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

function published(key: { x?: string; y?: string }, kid: string): PublishedJwk {
  // Built member by member so no private member can slip into the published set.
  return { kty: 'EC', crv: 'P-256', x: key.x!, y: key.y!, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' };
}

/** The key that signs access tokens and every key the JWKS publishes (the signer plus keys rotating out). */
export class SigningKeys {
  private constructor(
    readonly current: CurrentSigningKey,
    readonly publicJwks: readonly PublishedJwk[],
  ) {}

  /** The first configured key signs; all of them are published. */
  static async fromJwks(keys: readonly SigningJwk[]): Promise<SigningKeys> {
    const [first] = keys;
    const privateKey = (await importJWK({ ...first }, ACCESS_TOKEN_ALGORITHM)) as CryptoKey;
    return new SigningKeys({ kid: first.kid, privateKey }, keys.map((key) => published(key, key.kid)));
  }

  /** A key pair that lives as long as this process (development and tests only). */
  static async ephemeral(): Promise<SigningKeys> {
    const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM);
    const kid = randomUUID();
    return new SigningKeys({ kid, privateKey }, [published(await exportJWK(publicKey), kid)]);
  }

  /** Configured keys when there are any; otherwise an ephemeral key and a warning (config refuses that in production). */
  static async load(configured: readonly SigningJwk[] | undefined, logger = new Logger(SigningKeys.name)): Promise<SigningKeys> {
    if (configured) return SigningKeys.fromJwks(configured);
    const keys = await SigningKeys.ephemeral();
    logger.warn(
      { kid: keys.current.kid },
      'AUTH_SIGNING_KEYS is not set: signing with an ephemeral key made at start-up; its tokens stop verifying when this process restarts',
    );
    return keys;
  }
}
