import { Logger } from '@nestjs/common';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { AccessTokenIssuer } from './access-token.issuer';
import { SigningKeys } from './signing-keys';

async function privateJwk(kid: string) {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x!, y: jwk.y!, d: jwk.d!, kid };
}

describe('SigningKeys and AccessTokenIssuer', () => {
  it('signs with the first configured key and publishes every key without private members', async () => {
    const keys = await SigningKeys.fromJwks([await privateJwk('current'), await privateJwk('previous')]);
    expect(keys.current.kid).toBe('current');
    expect(keys.publicJwks.map((key) => key.kid)).toEqual(['current', 'previous']);
    for (const key of keys.publicJwks) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
      expect(key).toMatchObject({ alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' });
    }
  });

  it('uses the configured keys when given, and otherwise an ephemeral key with a warning naming AUTH_SIGNING_KEYS', async () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const configured = await SigningKeys.load([await privateJwk('given')], logger);
    expect(configured.current.kid).toBe('given');
    expect(warn).not.toHaveBeenCalled();

    const [first, second] = [await SigningKeys.load(undefined, logger), await SigningKeys.load(undefined, logger)];
    expect(first.current.kid).not.toBe(second.current.kid);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]).toEqual([{ kid: first.current.kid }, expect.stringContaining('AUTH_SIGNING_KEYS is not set')]);
  });

  it('issues an ES256 JWT with kid, typ and every claim (sid: the session), expiring after the configured lifetime', async () => {
    const keys = await SigningKeys.ephemeral();
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const issuer = new AccessTokenIssuer(keys, { issuer: 'iss-x', audience: 'aud-y', ttlSeconds: 900 }, () => now);
    const issued = await issuer.issue({ id: 'user-1', email: 'a@b.c', role: 'NURSE' }, 'session-1');

    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'ES256', kid: keys.current.kid, typ: 'JWT' });
    const claims = decodeJwt(issued.token);
    expect(claims).toEqual({
      sub: 'user-1',
      email: 'a@b.c',
      role: 'NURSE',
      sid: 'session-1',
      jti: issued.tokenId,
      iss: 'iss-x',
      aud: 'aud-y',
      iat: now / 1000,
      exp: now / 1000 + 900,
    });
    expect(issued.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    const verified = await jwtVerify(issued.token, createLocalJWKSet({ keys: keys.publicJwks.map((key) => ({ ...key })) }), {
      currentDate: new Date(now),
    });
    expect(verified.payload.sub).toBe('user-1');
  });

  it('gives every token its own id', async () => {
    const issuer = new AccessTokenIssuer(await SigningKeys.ephemeral(), { issuer: 'i', audience: 'a', ttlSeconds: 60 });
    const [first, second] = await Promise.all([1, 2].map(() => issuer.issue({ id: 'u', email: 'e@x.y', role: 'ADMIN' }, 's')));
    expect(first.tokenId).not.toBe(second.tokenId);
  });
});
