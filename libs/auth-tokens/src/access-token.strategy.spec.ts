import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { InvalidAccessTokenError, RevokedAccessTokenError, TokenVerificationUnavailableError } from './access-token.errors';
import type { AccessTokenKeyProvider } from './access-token-keys';
import { ACCESS_TOKEN_STRATEGY, AccessTokenStrategy } from './access-token.strategy';
import type { RevocableToken, TokenRevocationList } from './token-revocation-list';
import { typedFake } from '@pm/testing';

const config = { AUTH_JWKS_URL: 'http://unused.invalid/jwks.json', JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud' };

class FakeRevocationList implements Pick<TokenRevocationList, 'isRevoked'> {
  revokedTokenIds = new Set<string>();
  down = false;
  async isRevoked(token: RevocableToken): Promise<boolean> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    return this.revokedTokenIds.has(token.tokenId);
  }
}

const payload = { sub: 'user-1', jti: 'token-1', iat: 1000, exp: 9_999_999_999, role: 'ADMIN' };

describe('AccessTokenStrategy', () => {
  it('registers in a passport of its own, not the process-wide one', async () => {
    const passport = await import('passport');
    const first = new AccessTokenStrategy(config, (_r, _t, done) => done(null));
    const second = new AccessTokenStrategy(config, (_r, _t, done) => done(null));
    expect(first.passport).not.toBe(second.passport);
    expect(first.passport).not.toBe(passport.default);
    expect((passport.default as unknown as { _strategy(name: string): unknown })._strategy(ACCESS_TOKEN_STRATEGY)).toBeUndefined();
  });

  describe('validate()', () => {
    let revocations: FakeRevocationList;
    let strategy: AccessTokenStrategy;

    beforeEach(() => {
      revocations = new FakeRevocationList();
      strategy = new AccessTokenStrategy(config, (_r, _t, done) => done(null), typedFake<TokenRevocationList>(revocations));
    });

    it('returns the claims of an unrevoked token', async () => {
      await expect(strategy.validate(payload)).resolves.toMatchObject({ userId: 'user-1', tokenId: 'token-1', role: 'ADMIN' });
    });

    it('refuses a revoked token as revoked', async () => {
      revocations.revokedTokenIds.add('token-1');
      await expect(strategy.validate(payload)).rejects.toBeInstanceOf(RevokedAccessTokenError);
    });

    it('fails closed as unavailable when the revocation list cannot answer', async () => {
      revocations.down = true;
      await expect(strategy.validate(payload)).rejects.toBeInstanceOf(TokenVerificationUnavailableError);
    });

    it('refuses an unknown role before asking the revocation list', async () => {
      revocations.down = true;
      await expect(strategy.validate({ ...payload, role: 'ROOT' })).rejects.toBeInstanceOf(InvalidAccessTokenError);
    });
  });

  it('refuses an HS256 token signed with the public key even when a key provider hands that key over', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    // A naive provider: the public key whatever the token's alg. The pinned algorithm must still hold.
    const naive: AccessTokenKeyProvider = (_request, _token, done) => done(null, pem);
    const strategy = new AccessTokenStrategy(config, naive);
    const sign = (alg: string, key: CryptoKey | Uint8Array) =>
      new SignJWT({ role: 'ADMIN' })
        .setProtectedHeader({ alg })
        .setSubject('attacker')
        .setJti('j')
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);

    await expect(strategy.verifyToken(await sign('ES256', privateKey))).resolves.toHaveProperty('userId', 'attacker');
    const confused = strategy.verifyToken(await sign('HS256', new TextEncoder().encode(pem)));
    await expect(confused).rejects.toBeInstanceOf(InvalidAccessTokenError);
    await expect(confused).rejects.toThrow('invalid algorithm');
  });
});
