import { TokenRevocationList } from '@pm/auth-tokens';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { TestTokenIssuer } from './test-token-issuer';

/** A route of a service that verifies access tokens, and how to reach it. */
export interface RevocationCheckTarget {
  issuer: TestTokenIssuer;
  /** A role the route lets through. */
  role: string;
  /** Calls the route with this Authorization header; at `baseUrl` when given, else at the service under test. */
  call(authorization: string, baseUrl?: string): Promise<Response>;
  /** Boots another instance of the service with these settings overridden. */
  boot(settings: Record<string, string>): Promise<{ getUrl(): Promise<string>; close(): Promise<void> }>;
}

/**
 * The revocation tests every service that verifies tokens runs on one of its routes: a revoked
 * token is refused, and while Redis is down the local copy of the list still answers. `target` is
 * called inside each test, when the service's harness has been filled in.
 */
export function itHonoursTokenRevocation(target: () => RevocationCheckTarget, redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): void {
  it('answers 401 to a revoked token', async () => {
    const { issuer, role, call } = target();
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const tokenId = randomUUID();
      const authorization = `Bearer ${await issuer.sign({ role, tokenId })}`;
      expect((await call(authorization)).status).toBe(200);
      await new TokenRevocationList(redis).revokeToken(tokenId, Math.floor(Date.now() / 1000) + 300);
      const refused = await call(authorization);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    } finally {
      await redis.quit();
    }
  });

  it('keeps serving valid tokens when Redis is down (the local revocation copy answers), and reports Redis down, the service degraded', async () => {
    const { issuer, role, call, boot } = target();
    const cut = await boot({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const url = await cut.getUrl();
      expect((await call(await issuer.bearer(role), url)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', degraded: ['redis'], details: { redis: { status: 'down' } } });
    } finally {
      await cut.close();
    }
  });
}
