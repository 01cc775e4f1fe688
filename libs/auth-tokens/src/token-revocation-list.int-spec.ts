import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TokenRevocationList } from './token-revocation-list';

describe('TokenRevocationList (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  const revocations = new TokenRevocationList(redis);
  const now = () => Math.floor(Date.now() / 1000);
  const token = (overrides: Partial<{ tokenId: string; sessionId: string; userId: string; issuedAt: number }> = {}) => ({
    tokenId: randomUUID(),
    sessionId: randomUUID(),
    userId: randomUUID(),
    issuedAt: now() - 10,
    ...overrides,
  });

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

  it('throws when Redis cannot answer, so callers fail closed', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    down.on('error', () => undefined);
    await expect(new TokenRevocationList(down).isRevoked(token())).rejects.toThrow();
    down.disconnect();
  });
});
