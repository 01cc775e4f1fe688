import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { waitFor } from '@pm/testing';
import { PrivateRedisServer } from '../../../infrastructure/local/redis-server.mjs';
import { createRevocationRedis } from './nest/revocation-redis';
import { TokenRevocationList } from './token-revocation-list';

const now = () => Math.floor(Date.now() / 1000);
/** A verified token's identity, issued ten seconds ago, fresh ids unless overridden. */
const token = (overrides: Partial<{ tokenId: string; sessionId: string; userId: string; issuedAt: number }> = {}) => ({
  tokenId: randomUUID(),
  sessionId: randomUUID(),
  userId: randomUUID(),
  issuedAt: now() - 10,
  ...overrides,
});

describe('TokenRevocationList (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  const revocations = new TokenRevocationList(redis);

  afterAll(() => redis.quit());

  it('does not revoke what was never revoked', async () => {
    await expect(revocations.isRevoked(token())).resolves.toBe(false);
  });

  it('revokes one token until it would have expired', async () => {
    const t = token();
    await revocations.revokeToken(t.tokenId, now() + 60);
    await expect(revocations.isRevoked(t)).resolves.toBe(true);
    await expect(revocations.isRevoked({ ...t, tokenId: randomUUID() })).resolves.toBe(false);
    const ttl = await redis.pttl(`revoked:token:${t.tokenId}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('revokes every token of a session', async () => {
    const sessionId = randomUUID();
    await revocations.revokeSession(sessionId, now() + 60);
    await expect(revocations.isRevoked(token({ sessionId }))).resolves.toBe(true);
    await expect(revocations.isRevoked(token({ sessionId }))).resolves.toBe(true);
  });

  it("revokes a user's tokens issued up to the cut-off, not later ones", async () => {
    const userId = randomUUID();
    const cutoff = now();
    await revocations.revokeUserTokens(userId, cutoff, now() + 60);
    await expect(revocations.isRevoked(token({ userId, issuedAt: cutoff - 5 }))).resolves.toBe(true);
    await expect(revocations.isRevoked(token({ userId, issuedAt: cutoff + 1 }))).resolves.toBe(false);
  });

  it('finds what another instance revoked (through Redis)', async () => {
    const other = new TokenRevocationList(redis);
    const t = token();
    await new TokenRevocationList(redis).revokeToken(t.tokenId, now() + 60);
    await expect(other.isRevoked(t)).resolves.toBe(true);
  });

  it('never throws when Redis cannot answer: its local copy answers (what it revoked itself stays revoked)', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    down.on('error', () => undefined);
    const list = new TokenRevocationList(down);
    const revoked = token();
    await expect(list.revokeToken(revoked.tokenId, now() + 60)).rejects.toThrow(); // Redis did not take it...
    await expect(list.isRevoked(revoked)).resolves.toBe(true); // ...but this verifier refuses it
    await expect(list.isRevoked(token())).resolves.toBe(false);
    expect(list.degraded).toBe(true);
    down.disconnect();
  });
});

describe('TokenRevocationList through a Redis outage (a private redis-server, stopped and restarted)', () => {
  const server = new PrivateRedisServer();
  let auth: TokenRevocationList;
  let service: TokenRevocationList;
  const connections: Redis[] = [];
  const connection = async () => {
    const redis = createRevocationRedis(server.url);
    connections.push(redis);
    await redis.connect();
    return redis;
  };

  beforeAll(async () => {
    await server.start();
    auth = new TokenRevocationList(await connection()); // stands in for auth, which revokes
    service = new TokenRevocationList(await connection()); // a verifier of another service
    await service.follow();
  }, 20_000);

  afterAll(async () => {
    service.stopFollowing();
    for (const redis of connections) redis.disconnect();
    await server.stop();
  });

  it('keeps refusing tokens revoked before the outage, and serves valid ones, while Redis is down and after it returns empty', async () => {
    const loggedOut = token();
    const sessionEnded = token();
    const disabledUser = token();
    await auth.revokeToken(loggedOut.tokenId, now() + 60);
    await auth.revokeSession(sessionEnded.sessionId, now() + 60);
    await auth.revokeUserTokens(disabledUser.userId, now(), now() + 60);
    // The service learns them through the channel (not only by asking Redis).
    await waitFor(async () => (await Promise.all([loggedOut, sessionEnded, disabledUser].map((t) => service.isRevoked(t)))).every(Boolean));

    await server.stop();
    await waitFor(() => service.degraded, { description: 'the service to notice the outage' });
    const started = Date.now();
    for (const revoked of [loggedOut, sessionEnded, disabledUser]) await expect(service.isRevoked(revoked)).resolves.toBe(true);
    await expect(service.isRevoked(token())).resolves.toBe(false);
    await expect(service.isRevoked(token({ userId: disabledUser.userId, issuedAt: now() + 1 }))).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(200);

    await server.start(); // empty: nothing was saved
    await waitFor(() => !service.degraded, { description: 'the service to reconnect' });
    for (const revoked of [loggedOut, sessionEnded, disabledUser]) await expect(service.isRevoked(revoked)).resolves.toBe(true);
  }, 30_000);

  it('learns a revocation made during the outage once it is published after Redis returns', async () => {
    await server.stop();
    const loggedOutDuringOutage = token();
    const revocation = { key: `revoked:token:${loggedOutDuringOutage.tokenId}`, value: '1', expiresAtMs: Date.now() + 60_000 };
    await expect(auth.revoke(revocation)).rejects.toThrow(); // auth keeps it (in its database) to publish again
    await expect(service.isRevoked(loggedOutDuringOutage)).resolves.toBe(false); // not known yet: Redis is down

    await server.start();
    await waitFor(() => auth.publish(revocation).then(() => true), { description: 'Redis to take the republished revocation' });
    await waitFor(() => service.isRevoked(loggedOutDuringOutage), { timeoutMs: 5000 });
    // In the service's own copy, not only in Redis: it holds through the next outage.
    await server.stop();
    await expect(service.isRevoked(loggedOutDuringOutage)).resolves.toBe(true);
    await server.start();
  }, 30_000);

  it('loads the whole list when it connects, including entries never announced', async () => {
    const raw = await connection();
    const written = token();
    await raw.set(`revoked:token:${written.tokenId}`, '1', 'PX', 60_000);
    const late = new TokenRevocationList(await connection());
    await late.follow();
    try {
      await server.stop();
      await expect(late.isRevoked(written)).resolves.toBe(true);
    } finally {
      late.stopFollowing();
      await server.start();
    }
  }, 30_000);
});
