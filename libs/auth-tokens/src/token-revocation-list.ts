import type Redis from 'ioredis';

/** What a revocation check needs to know about a verified token. */
export interface RevocableToken {
  tokenId: string;
  sessionId?: string;
  userId: string;
  /** Epoch seconds. */
  issuedAt: number;
}

const KEY_PREFIX = 'revoked';

/**
 * The Redis revocation list every verifier consults: a token (logout), a whole session (refresh
 * token reuse) or every token of a user issued before a moment (disabled user, role change,
 * password reset). Entries live only until the tokens they stop would have expired anyway.
 */
export class TokenRevocationList {
  constructor(private readonly redis: Redis) {}

  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    await this.setUntil(`${KEY_PREFIX}:token:${tokenId}`, '1', expiresAt);
  }

  async revokeSession(sessionId: string, lastTokenExpiresAt: number): Promise<void> {
    await this.setUntil(`${KEY_PREFIX}:session:${sessionId}`, '1', lastTokenExpiresAt);
  }

  /** Tokens of the user issued at or before `issuedBefore` (epoch seconds) stop working. */
  async revokeUserTokens(userId: string, issuedBefore: number, lastTokenExpiresAt: number): Promise<void> {
    await this.setUntil(`${KEY_PREFIX}:user:${userId}`, String(issuedBefore), lastTokenExpiresAt);
  }

  /** One round trip. Throws when Redis cannot answer: callers fail closed (503). */
  async isRevoked(token: RevocableToken): Promise<boolean> {
    const [byToken, bySession, userCutoff] = await this.redis.mget(
      `${KEY_PREFIX}:token:${token.tokenId}`,
      token.sessionId ? `${KEY_PREFIX}:session:${token.sessionId}` : `${KEY_PREFIX}:session:-`,
      `${KEY_PREFIX}:user:${token.userId}`,
    );
    if (byToken || (token.sessionId && bySession)) return true;
    return userCutoff !== null && token.issuedAt <= Number(userCutoff);
  }

  private async setUntil(key: string, value: string, expiresAtSeconds: number): Promise<void> {
    const ttlMs = Math.max(expiresAtSeconds * 1000 - Date.now(), 1000);
    // Never shorten an entry that is already longer-lived (e.g. an earlier, later-expiring cutoff).
    const current = await this.redis.pttl(key);
    if (current > ttlMs) {
      await this.redis.set(key, value, 'KEEPTTL');
      return;
    }
    await this.redis.set(key, value, 'PX', ttlMs);
  }
}
