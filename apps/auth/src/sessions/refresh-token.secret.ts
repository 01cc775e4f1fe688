import { createHash, randomBytes } from 'node:crypto';

// 32 random bytes in base64url: 43 characters.
const REFRESH_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** A new opaque refresh token: 256 random bits, base64url. Only its hash is ever stored. */
export function newRefreshTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database holds and is searched by: hex SHA-256 (the secret is random, so no salt is needed). */
export function hashRefreshToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether a presented value could be one of our tokens at all (anything else is refused without a lookup). */
export function looksLikeRefreshToken(value: string): boolean {
  return REFRESH_TOKEN_FORMAT.test(value);
}
