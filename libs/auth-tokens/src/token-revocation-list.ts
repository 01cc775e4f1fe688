import type Redis from 'ioredis';

/** What a revocation check needs to know about a verified token. */
export interface RevocableToken {
  tokenId: string;
  sessionId?: string;
  userId: string;
  /** Epoch seconds. */
  issuedAt: number;
}

/** One entry of the list: `revoked:token:<jti>`, `revoked:session:<sid>` = 1, `revoked:user:<id>` = issued-before cut-off. */
export interface Revocation {
  key: string;
  value: string;
  /** Epoch milliseconds: when the tokens it stops would have expired anyway. */
  expiresAtMs: number;
}

const KEY_PREFIX = 'revoked';
/** Every revocation written is also announced here, so each verifier's local copy learns it at once. */
export const REVOCATION_CHANNEL = 'revocations';
const SWEEP_INTERVAL_MS = 60_000;

export const revocationKeys = {
  token: (tokenId: string) => `${KEY_PREFIX}:token:${tokenId}`,
  session: (sessionId: string) => `${KEY_PREFIX}:session:${sessionId}`,
  user: (userId: string) => `${KEY_PREFIX}:user:${userId}`,
};

/**
 * The revocation list every verifier consults: a token (logout), a whole session (refresh token
 * reuse) or every token of a user issued before a moment (disabled user, role change, password
 * reset). Entries live only until the tokens they stop would have expired anyway.
 *
 * Redis holds the list; each verifier also keeps a copy in memory, filled in full whenever its
 * connection to Redis is (re)established and kept current through the `revocations` channel.
 * A token is revoked when either says so; while Redis cannot answer, the copy answers alone, so a
 * Redis outage neither lets tokens revoked before it through nor refuses valid ones.
 */
export class TokenRevocationList {
  private readonly local = new Map<string, { value: string; expiresAtMs: number }>();
  private subscriber?: Redis;
  private sweeper?: NodeJS.Timeout;
  private lastLoadFailure?: string;
  private readonly reload = () => void this.load();

  constructor(private readonly redis: Redis) {}

  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    await this.revoke({ key: revocationKeys.token(tokenId), value: '1', expiresAtMs: expiresAt * 1000 });
  }

  async revokeSession(sessionId: string, lastTokenExpiresAt: number): Promise<void> {
    await this.revoke({ key: revocationKeys.session(sessionId), value: '1', expiresAtMs: lastTokenExpiresAt * 1000 });
  }

  /** Tokens of the user issued at or before `issuedBefore` (epoch seconds) stop working. */
  async revokeUserTokens(userId: string, issuedBefore: number, lastTokenExpiresAt: number): Promise<void> {
    await this.revoke({ key: revocationKeys.user(userId), value: String(issuedBefore), expiresAtMs: lastTokenExpiresAt * 1000 });
  }

  /**
   * Records the revocation in this verifier's copy at once, then in Redis with an announcement to
   * every other verifier. Throws when Redis cannot take it (the caller keeps it to publish again).
   */
  async revoke(revocation: Revocation): Promise<void> {
    this.remember(revocation);
    await this.publish(revocation);
  }

  /** Writes an entry to Redis (never shortening a longer-lived one) and announces it. */
  async publish({ key, value, expiresAtMs }: Revocation): Promise<void> {
    const ttlMs = Math.max(expiresAtMs - Date.now(), 1000);
    const current = await this.redis.pttl(key);
    const write = this.redis.multi();
    if (current > ttlMs) write.set(key, value, 'KEEPTTL');
    else write.set(key, value, 'PX', ttlMs);
    write.publish(REVOCATION_CHANNEL, JSON.stringify({ key, value, expiresAtMs: Math.max(expiresAtMs, Date.now() + current) }));
    const results = await write.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis did not run the revocation');
  }

  /**
   * Whether the token is revoked: by the local copy, or by Redis when it answers. Never throws:
   * while Redis is unreachable the local copy answers alone (see `degraded`).
   */
  async isRevoked(token: RevocableToken): Promise<boolean> {
    if (this.revokedLocally(token)) return true;
    if (this.redis.status !== 'ready') return false;
    try {
      const [byToken, bySession, userCutoff] = await this.redis.mget(
        revocationKeys.token(token.tokenId),
        token.sessionId ? revocationKeys.session(token.sessionId) : revocationKeys.session('-'),
        revocationKeys.user(token.userId),
      );
      if (byToken || (token.sessionId && bySession)) return true;
      return userCutoff !== null && token.issuedAt <= Number(userCutoff);
    } catch {
      return false; // the local copy has answered
    }
  }

  /** Redis cannot be reached (or the copy could not be loaded): answers come from the local copy alone. */
  get degraded(): boolean {
    return this.redis.status !== 'ready' || (this.subscriber !== undefined && this.subscriber.status !== 'ready') || this.lastLoadFailure !== undefined;
  }

  /**
   * Starts keeping the local copy: subscribes to announcements on a connection of its own and
   * loads the whole list each time either connection becomes ready (at start and after every
   * outage). Resolves after the first load, or at once when Redis is down (it retries by itself).
   */
  async follow(): Promise<void> {
    if (this.subscriber) return;
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, lazyConnect: true });
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined); // reconnects by itself; `degraded` reports it
    subscriber.on('message', (_channel: string, message: string) => this.learn(message));
    subscriber.on('ready', this.reload);
    this.redis.on('ready', this.reload);
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
    try {
      await subscriber.connect();
      await subscriber.subscribe(REVOCATION_CHANNEL);
      await this.load();
    } catch {
      // Redis is down at start: the copy is empty until it returns (auth republishes on reconnect).
    }
  }

  stopFollowing(): void {
    clearInterval(this.sweeper);
    this.redis.off('ready', this.reload);
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }

  /** Reads every entry Redis holds into the local copy (added to what it knows: entries only ever expire). */
  async load(): Promise<void> {
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${KEY_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length === 0) continue;
        const read = this.redis.pipeline();
        for (const key of keys) read.get(key).pttl(key);
        const results = (await read.exec()) ?? [];
        keys.forEach((key, i) => {
          const value = results[i * 2]?.[1] as string | null;
          const ttlMs = results[i * 2 + 1]?.[1] as number;
          if (value !== null && ttlMs > 0) this.remember({ key, value, expiresAtMs: Date.now() + ttlMs });
        });
      } while (cursor !== '0');
      this.lastLoadFailure = undefined;
    } catch (error) {
      this.lastLoadFailure = (error as Error).message;
    }
  }

  private learn(message: string): void {
    try {
      const revocation = JSON.parse(message) as Revocation;
      if (typeof revocation.key === 'string' && typeof revocation.value === 'string' && typeof revocation.expiresAtMs === 'number') {
        this.remember(revocation);
      }
    } catch {
      // Not an announcement of ours.
    }
  }

  private remember({ key, value, expiresAtMs }: Revocation): void {
    if (expiresAtMs <= Date.now()) return;
    const known = this.local.get(key);
    if (!known) {
      this.local.set(key, { value, expiresAtMs });
      return;
    }
    // A user's later cut-off and a longer life both win; nothing is ever un-revoked.
    const laterValue = Number(value) > Number(known.value) ? value : known.value;
    this.local.set(key, { value: laterValue, expiresAtMs: Math.max(expiresAtMs, known.expiresAtMs) });
  }

  private revokedLocally(token: RevocableToken): boolean {
    const now = Date.now();
    const live = (key: string) => {
      const entry = this.local.get(key);
      return entry && entry.expiresAtMs > now ? entry : undefined;
    };
    if (live(revocationKeys.token(token.tokenId))) return true;
    if (token.sessionId && live(revocationKeys.session(token.sessionId))) return true;
    const cutoff = live(revocationKeys.user(token.userId));
    return cutoff !== undefined && token.issuedAt <= Number(cutoff.value);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.local) if (entry.expiresAtMs <= now) this.local.delete(key);
  }
}
