import { TestTokenIssuer } from '@pm/testing';
import Redis from 'ioredis';
import { SignJWT, createLocalJWKSet, generateKeyPair, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidAccessTokenError, RevokedAccessTokenError, TokenKeysUnavailableError, TokenVerificationUnavailableError } from './access-token.errors';
import { RemoteKeySet } from './access-token-keys';
import { AccessTokenVerifier, bearerToken } from './access-token-verifier';
import { TokenRevocationList } from './token-revocation-list';

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('AccessTokenVerifier (passport-jwt) against a real JWKS', () => {
  let issuer: TestTokenIssuer;

  beforeAll(async () => {
    issuer = await TestTokenIssuer.start();
  });

  afterAll(() => issuer.stop());

  const keySources: [string, () => Promise<AccessTokenVerifier>][] = [
    ["auth's JWKS over HTTP", async () => new AccessTokenVerifier(issuer.config)],
    [
      'a jose key set in memory (auth verifying with its own keys)',
      async () => {
        const jwks = (await (await fetch(issuer.jwksUrl)).json()) as JSONWebKeySet;
        return new AccessTokenVerifier({ ...issuer.config, AUTH_JWKS_URL: 'http://unused.invalid/jwks.json' }, createLocalJWKSet(jwks));
      },
    ],
  ];

  describe.each(keySources)('with %s', (_source, makeVerifier) => {
    let verifier: AccessTokenVerifier;

    beforeAll(async () => {
      verifier = await makeVerifier();
    });

    it('accepts a good token and returns its claims', async () => {
      const sessionId = randomUUID();
      const token = await issuer.sign({ role: 'NURSE', userId: 'user-1', tokenId: 'token-1', email: 'n@test.com', sessionId });
      await expect(verifier.verify(token)).resolves.toEqual({
        userId: 'user-1',
        email: 'n@test.com',
        role: 'NURSE',
        tokenId: 'token-1',
        sessionId,
        issuedAt: expect.any(Number),
        expiresAt: expect.any(Number),
      });
    });

    const attacks: [string, () => Promise<string>][] = [
      ['for another audience', () => issuer.sign({ audience: 'someone-else' })],
      ['from another issuer', () => issuer.sign({ issuer: 'evil' })],
      ['expired', () => issuer.sign({ expiresAt: now() - 10 })],
      ['with an unknown role', () => issuer.sign({ role: 'ROOT' })],
      ['without a role', () => issuer.sign({ claims: { role: undefined } })],
      ['without exp', () => withoutClaim('exp')],
      ['without jti', () => withoutClaim('jti')],
      ['without sub', () => withoutClaim('sub')],
      ['without iat', () => withoutClaim('iat')],
      ['with alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${(await issuer.sign()).split('.')[1]}.`],
      [
        'with a tampered payload',
        async () => {
          const [header, payload, signature] = (await issuer.sign({ role: 'BILLING' })).split('.');
          const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
          return `${header}.${b64({ ...claims, role: 'ADMIN' })}.${signature}`;
        },
      ],
      [
        'HS256-signed with the public key (PEM text) as the HMAC secret',
        async () =>
          new SignJWT({ role: 'ADMIN', email: 'x@y.z' })
            .setProtectedHeader({ alg: 'HS256', kid: issuer.kid, typ: 'JWT' })
            .setSubject('attacker')
            .setJti(randomUUID())
            .setIssuer(issuer.config.JWT_ISSUER)
            .setAudience(issuer.config.JWT_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(new TextEncoder().encode(await issuer.publicKeyPem())),
      ],
      ['signed with an unpublished key under a published kid', async () => issuer.sign({ key: (await generateKeyPair('ES256')).privateKey })],
      ['naming an unknown kid', async () => issuer.sign({ kid: 'no-such-key' })],
      ['that is not a JWT', async () => 'garbage'],
    ];

    /** A good token's claims less one, properly signed. */
    async function withoutClaim(claim: string): Promise<string> {
      const { [claim]: _left, ...claims } = JSON.parse(Buffer.from((await issuer.sign()).split('.')[1], 'base64url').toString());
      return issuer.signRaw(claims);
    }

    it.each(attacks)('refuses a token %s as invalid (401)', async (_name, token) => {
      await expect(verifier.verify(await token())).rejects.toBeInstanceOf(InvalidAccessTokenError);
    });

    it('answers concurrent verifications each with its own outcome', async () => {
      const roles = ['ADMIN', 'DOCTOR', 'NURSE', 'BILLING', 'ANALYST'];
      const cases = await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          const valid = i % 3 !== 0;
          const userId = `user-${i}`;
          const token = await issuer.sign({ userId, role: roles[i % roles.length], audience: valid ? undefined : 'other' });
          return { token, valid, userId };
        }),
      );
      const outcomes = await Promise.allSettled(cases.map((c) => verifier.verify(c.token)));
      outcomes.forEach((outcome, i) => {
        if (cases[i].valid) expect(outcome).toEqual({ status: 'fulfilled', value: expect.objectContaining({ userId: cases[i].userId }) });
        else expect(outcome).toEqual({ status: 'rejected', reason: expect.any(InvalidAccessTokenError) });
      });
    });
  });

  describe('key rotation and an unreachable JWKS', () => {
    it('accepts tokens of the old and of a newly published key without a restart', async () => {
      const rotating = await TestTokenIssuer.start();
      try {
        const verifier = new AccessTokenVerifier(rotating.config);
        const oldToken = await rotating.sign();
        await expect(verifier.verify(oldToken)).resolves.toHaveProperty('role', 'ADMIN');

        await rotating.rotate();
        const newToken = await rotating.sign({ role: 'DOCTOR' });
        await expect(verifier.verify(newToken)).resolves.toHaveProperty('role', 'DOCTOR');
        await expect(verifier.verify(oldToken)).resolves.toHaveProperty('role', 'ADMIN');
      } finally {
        await rotating.stop();
      }
    });

    it('says the keys are unavailable (not that the token is bad) when the JWKS cannot be fetched', async () => {
      const down = new AccessTokenVerifier({ ...issuer.config, AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json' });
      await expect(down.verify(await issuer.sign())).rejects.toBeInstanceOf(TokenKeysUnavailableError);
    });

    it('says the keys are unavailable when the JWKS endpoint fails', async () => {
      const failing = await TestTokenIssuer.start();
      failing.failWith = 500;
      try {
        await expect(new AccessTokenVerifier(failing.config).verify(await failing.sign())).rejects.toBeInstanceOf(TokenKeysUnavailableError);
      } finally {
        await failing.stop();
      }
    });

    it('gives up on a JWKS endpoint that does not answer within its timeout', async () => {
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/jwks.json`;
        const started = Date.now();
        await expect(new AccessTokenVerifier({ ...issuer.config, AUTH_JWKS_URL: url }).verify(await issuer.sign())).rejects.toBeInstanceOf(
          TokenKeysUnavailableError,
        );
        expect(Date.now() - started).toBeLessThan(4000);
      } finally {
        silent.closeAllConnections();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });

  describe('tokens naming made-up kids (a real JWKS server)', () => {
    let jwks: TestTokenIssuer;

    beforeEach(async () => {
      jwks = await TestTokenIssuer.start();
    });

    afterEach(() => jwks.stop());

    const madeUpKid = () => `forged-${randomUUID()}`;

    it('refuses a burst of 50 as invalid (401, never 503) with one JWKS refresh, while valid tokens keep verifying', async () => {
      const verifier = new AccessTokenVerifier(jwks.config);
      await expect(verifier.verify(await jwks.sign())).resolves.toHaveProperty('role', 'ADMIN');
      const fetchesBefore = jwks.jwksRequests;

      for (let round = 0; round < 2; round += 1) {
        const forged = await Promise.all(Array.from({ length: 50 }, () => jwks.sign({ kid: madeUpKid() })));
        const valid = await Promise.all(Array.from({ length: 10 }, (_, i) => jwks.sign({ userId: `user-${round}-${i}` })));
        const started = Date.now();
        const [forgedOutcomes, validOutcomes] = await Promise.all([
          Promise.allSettled(forged.map((token) => verifier.verify(token))),
          Promise.all(valid.map((token) => verifier.verify(token))),
        ]);
        for (const outcome of forgedOutcomes) expect(outcome).toEqual({ status: 'rejected', reason: expect.any(InvalidAccessTokenError) });
        expect(validOutcomes.map((claims) => claims.userId)).toEqual(valid.map((_, i) => `user-${round}-${i}`));
        expect(Date.now() - started).toBeLessThan(1000);
      }
      // One refresh for the first burst (shared by all 50), none for the second (cooling down).
      expect(jwks.jwksRequests - fetchesBefore).toBe(1);
    });

    it('learns a key published after a rotation, even right after a flood of made-up kids', async () => {
      const verifier = new AccessTokenVerifier(jwks.config, new RemoteKeySet(jwks.jwksUrl, { unknownKidRefreshCooldownMs: 300 }).getKey);
      await expect(verifier.verify(await jwks.sign())).resolves.toBeDefined();
      await Promise.allSettled(Array.from({ length: 50 }, async () => verifier.verify(await jwks.sign({ kid: madeUpKid() }))));

      await jwks.rotate();
      const rotated = await jwks.sign({ role: 'NURSE' });
      // Within the cooldown the new kid is as unknown as a made-up one...
      await expect(verifier.verify(rotated)).rejects.toBeInstanceOf(InvalidAccessTokenError);
      await new Promise((resolve) => setTimeout(resolve, 350));
      // ...and after it, the one refresh it causes learns it.
      await expect(verifier.verify(rotated)).resolves.toHaveProperty('role', 'NURSE');
    });

    it('keeps answering from the keys it has when the JWKS endpoint fails: valid 200, unknown kid 401', async () => {
      const verifier = new AccessTokenVerifier(jwks.config, new RemoteKeySet(jwks.jwksUrl, { cacheMs: 50, unknownKidRefreshCooldownMs: 50 }).getKey);
      await expect(verifier.verify(await jwks.sign())).resolves.toBeDefined();
      jwks.failWith = 503;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the cache is stale and the cooldown over

      await expect(verifier.verify(await jwks.sign({ kid: madeUpKid() }))).rejects.toBeInstanceOf(InvalidAccessTokenError);
      await expect(verifier.verify(await jwks.sign({ kid: madeUpKid() }))).rejects.not.toBeInstanceOf(TokenVerificationUnavailableError);
      await expect(verifier.verify(await jwks.sign({ role: 'DOCTOR' }))).resolves.toHaveProperty('role', 'DOCTOR');
    });

    it('is unavailable (503) only when the key set cannot be fetched and none is known', async () => {
      jwks.failWith = 500;
      const verifier = new AccessTokenVerifier(jwks.config);
      await expect(verifier.verify(await jwks.sign({ kid: madeUpKid() }))).rejects.toBeInstanceOf(TokenKeysUnavailableError);
      jwks.failWith = undefined;
      await expect(verifier.verify(await jwks.sign())).resolves.toBeDefined();
    });
  });

  describe('with the revocation list (real Redis)', () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    const revocations = new TokenRevocationList(redis);

    afterAll(() => redis.quit());

    it('refuses a revoked token as revoked (401) and accepts another of the same user', async () => {
      const verifier = new AccessTokenVerifier(issuer.config, undefined, revocations);
      const tokenId = randomUUID();
      const userId = randomUUID();
      await revocations.revokeToken(tokenId, now() + 60);
      await expect(verifier.verify(await issuer.sign({ tokenId, userId }))).rejects.toBeInstanceOf(RevokedAccessTokenError);
      await expect(verifier.verify(await issuer.sign({ userId }))).resolves.toHaveProperty('userId', userId);
    });

    it('answers from the local revocation copy (never 503) when Redis cannot answer', async () => {
      const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
      down.on('error', () => undefined);
      const list = new TokenRevocationList(down);
      const verifier = new AccessTokenVerifier(issuer.config, undefined, list);
      const userId = randomUUID();
      await expect(verifier.verify(await issuer.sign({ userId }))).resolves.toHaveProperty('userId', userId);
      const tokenId = randomUUID();
      await list.revokeToken(tokenId, now() + 60).catch(() => undefined); // Redis did not take it; this verifier did
      await expect(verifier.verify(await issuer.sign({ tokenId }))).rejects.toBeInstanceOf(RevokedAccessTokenError);
      down.disconnect();
    });
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer  abc.def.ghi ')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
