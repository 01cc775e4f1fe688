import { TokenRevocationList, createRevocationRedis, type RevocableToken } from '@pm/auth-tokens';
import { waitFor } from '@pm/testing';
import Redis from 'ioredis';
import { decodeJwt } from 'jose';
import { PrivateRedisServer } from '../../../../infrastructure/local/redis-server.mjs';
import { AuthTestApp, startAuthTestApp } from '../testing/auth-test-app';

/** What any verifier reads from an access token to check it against the revocation list. */
function revocable(token: string): RevocableToken {
  const claims = decodeJwt(token);
  return { tokenId: claims.jti!, sessionId: claims.sid as string, userId: claims.sub!, issuedAt: claims.iat! };
}

describe('revocations through a Redis outage (auth on a private redis-server, stopped and restarted)', () => {
  const server = new PrivateRedisServer();
  let auth: AuthTestApp;
  // Another service's verifier: its local copy follows the same Redis.
  let serviceRedis: Redis;
  let service: TokenRevocationList;

  beforeAll(async () => {
    await server.start();
    auth = await startAuthTestApp('auth_int_revocations', { REDIS_URL: server.url });
    serviceRedis = createRevocationRedis(server.url);
    await serviceRedis.connect();
    service = new TokenRevocationList(serviceRedis);
    await service.follow();
  }, 30_000);

  afterAll(async () => {
    service?.stopFollowing();
    serviceRedis?.disconnect();
    await auth?.close();
    await server.stop();
  });

  const me = (token: string) => auth.request('GET', '/me', { token });

  it('keeps earlier revocations, takes logouts and disables during the outage (204/200), and spreads them within seconds of Redis returning', async () => {
    const admin = await auth.tokensFor('testuser@test.com');
    const loggedOutBefore = await auth.tokensFor('doctor@test.com');
    expect((await auth.request('POST', '/logout', { token: loggedOutBefore.token })).status).toBe(204);
    const stillValid = await auth.tokensFor('doctor@test.com');
    const loggingOutDuring = await auth.tokensFor('nurse@test.com');
    const disabledDuring = await auth.tokensFor('analyst@test.com');
    const analystId = await auth.userId('analyst@test.com');

    await server.stop();

    expect((await me(loggedOutBefore.token)).status).toBe(401);
    expect((await me(stillValid.token)).status).toBe(200);
    expect((await auth.request('POST', '/logout', { token: loggingOutDuring.token })).status).toBe(204);
    expect((await me(loggingOutDuring.token)).status).toBe(401); // at once in auth itself
    expect((await auth.request('POST', `/users/${analystId}/disable`, { token: admin.token })).status).toBe(200);
    expect((await me(disabledDuring.token)).status).toBe(401);
    const ready = await auth.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', degraded: ['redis'], details: { database: { status: 'up' }, redis: { status: 'down' } } });
    // The other service cannot know yet, but keeps what it learned before the outage.
    await expect(service.isRevoked(revocable(loggedOutBefore.token))).resolves.toBe(true);
    await expect(service.isRevoked(revocable(loggingOutDuring.token))).resolves.toBe(false);

    await server.start(); // empty: nothing was saved
    const back = Date.now();
    await waitFor(
      async () =>
        (await service.isRevoked(revocable(loggingOutDuring.token))) &&
        (await service.isRevoked(revocable(disabledDuring.token))),
      { timeoutMs: 5000, description: 'the revocations made during the outage to reach the other service' },
    );
    expect(Date.now() - back).toBeLessThan(5000);
    await expect(service.isRevoked(revocable(stillValid.token))).resolves.toBe(false);
    // Redis holds the whole list again, earlier entries included (auth republished them from its database).
    const raw = new Redis(server.url);
    try {
      await waitFor(async () => (await raw.exists(`revoked:token:${revocable(loggedOutBefore.token).tokenId}`)) === 1, { timeoutMs: 5000 });
    } finally {
      raw.disconnect();
    }
    await auth.request('POST', `/users/${analystId}/enable`, { token: admin.token });
  }, 60_000);
});
