import { SignJWT, decodeJwt, exportSPKI, importJWK, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { call } from './security-clients';

/** Where global setup may leave the e2e system's signing keys (AUTH_SIGNING_KEYS format). */
export const SIGNING_KEYS_FILE = path.resolve(__dirname, '..', '..', '.cache', 'e2e-signing-keys.json');

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The public keys the e2e system's auth publishes. */
export async function publishedKeys(): Promise<JWK[]> {
  const answer = await call<{ keys: JWK[] }>('gateway', 'GET', '/auth/.well-known/jwks.json');
  if (answer.status !== 200 || !Array.isArray(answer.body?.keys)) throw new Error(`JWKS answered ${answer.status}`);
  return answer.body.keys;
}

/** The real token's claims with `alg: none` and no signature. */
export function unsignedToken(real: string): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(decodeJwt(real))}.`;
}

/** The real token's claims signed HS256 with auth's public key as the HMAC secret (key confusion). */
export async function hs256WithPublicKey(real: string, publicJwk: JWK, secretForm: 'pem' | 'jwk'): Promise<string> {
  const pem = await exportSPKI((await importJWK({ ...publicJwk, alg: 'ES256' }, 'ES256')) as CryptoKey);
  const secret = new TextEncoder().encode(secretForm === 'pem' ? pem : JSON.stringify(publicJwk));
  return new SignJWT(decodeJwt(real)).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: publicJwk.kid }).sign(secret);
}

/** The real token with its payload changed (role raised), header and signature kept. */
export function tamperedToken(real: string, changes: JWTPayload): string {
  const [header, , signature] = real.split('.');
  return `${header}.${base64url({ ...decodeJwt(real), ...changes })}.${signature}`;
}

/**
 * The e2e system's signing key, when the run gave it one: AUTH_SIGNING_KEYS in the environment
 * (it reaches the services too) or the file global setup wrote. Without it, auth signs with a key
 * made at start-up that no test can use, and a correctly signed expired or foreign-audience token
 * cannot be made.
 */
export async function systemSigningKey(): Promise<{ key: CryptoKey; kid: string }> {
  const raw = process.env.AUTH_SIGNING_KEYS ?? (existsSync(SIGNING_KEYS_FILE) ? readFileSync(SIGNING_KEYS_FILE, 'utf8') : undefined);
  if (!raw) {
    throw new Error(
      `The e2e system's signing key is unknown (neither AUTH_SIGNING_KEYS nor ${SIGNING_KEYS_FILE}), so no correctly signed ` +
        'expired or wrong-audience token can be made: give the e2e system a known key in global setup',
    );
  }
  const [jwk] = JSON.parse(raw) as (JWK & { kid: string })[];
  return { key: (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256')) as CryptoKey, kid: jwk.kid };
}

/** The real token's claims, re-signed with the system's own key after `changes` (a new jti). */
export async function resignedToken(real: string, changes: { expiresAt?: number; audience?: string; issuer?: string } = {}): Promise<string> {
  const { key, kid } = await systemSigningKey();
  const { exp, aud, iss, iat, jti: _jti, ...claims } = decodeJwt(real);
  const expiresAt = changes.expiresAt ?? exp!;
  const header = JSON.parse(Buffer.from(real.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
  return new SignJWT(claims)
    .setProtectedHeader({ ...header, alg: 'ES256', kid })
    .setJti(randomUUID())
    .setAudience(changes.audience ?? (aud as string))
    .setIssuer(changes.issuer ?? iss!)
    .setIssuedAt(Math.min(iat!, expiresAt - 60))
    .setExpirationTime(expiresAt)
    .sign(key);
}
