import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokenVerifier, InvalidAccessTokenError, TokenKeysUnavailableError, bearerToken } from './access-token-verifier';

const config = { JWT_ISSUER: 'test-issuer', JWT_AUDIENCE: 'test-audience' };

describe('AccessTokenVerifier against a JWKS served over HTTP', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [publicJwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (claims: Record<string, unknown> = {}, options: { audience?: string; expiresIn?: string | number } = {}) =>
    new SignJWT({ email: 'a@b.c', role: 'ADMIN', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-1')
      .setJti('token-1')
      .setIssuer(config.JWT_ISSUER)
      .setAudience(options.audience ?? config.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(privateKey);

  const verifier = () => new AccessTokenVerifier({ ...config, AUTH_JWKS_URL: jwksUrl });

  it('accepts a good token and returns its claims', async () => {
    await expect(verifier().verify(await sign())).resolves.toMatchObject({ userId: 'user-1', role: 'ADMIN', tokenId: 'token-1' });
  });

  it.each([
    ['another audience', () => sign({}, { audience: 'someone-else' })],
    ['an expired token', () => sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 10 })],
    ['an unknown role', () => sign({ role: 'ROOT' })],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${(await sign()).split('.')[1]}.`],
    ['a tampered payload', async () => {
      const [header, , signature] = (await sign()).split('.');
      return `${header}.${b64({ sub: 'user-1', role: 'ADMIN', jti: 'x', iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE, exp: 9999999999 })}.${signature}`;
    }],
  ])('refuses %s as invalid', async (_name, token) => {
    await expect(verifier().verify(await token())).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('says the keys are unavailable (not that the token is bad) when the JWKS cannot be fetched', async () => {
    const down = new AccessTokenVerifier({ ...config, AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json' });
    await expect(down.verify(await sign())).rejects.toBeInstanceOf(TokenKeysUnavailableError);
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
