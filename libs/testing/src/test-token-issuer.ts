import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_TOKEN_ISSUER = 'patient-management-auth';
export const TEST_TOKEN_AUDIENCE = 'patient-management';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export interface TestTokenOptions {
  role?: string;
  userId?: string;
  email?: string;
  tokenId?: string;
  sessionId?: string;
  /** Epoch seconds; default five minutes from now. */
  expiresAt?: number;
  issuer?: string;
  audience?: string;
  /** Sign with another key (e.g. one the JWKS does not publish). */
  key?: CryptoKey;
  kid?: string;
  /** Extra or overriding claims. */
  claims?: JWTPayload;
}

/**
 * Stands in for auth in integration tests: a real HTTP JWKS endpoint with ES256 keys made for
 * the test, and access tokens signed with them for any role. `config` is what a service needs
 * to verify them (AUTH_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE).
 */
export class TestTokenIssuer {
  /** Every published key; the last one signs. */
  private readonly keys: SigningKey[] = [];
  /** When set, the JWKS endpoint answers this status instead of the keys. */
  failWith?: number;
  jwksRequests = 0;
  /** User ids its doctors directory denies (every other id is an active doctor). */
  readonly notDoctors = new Set<string>();
  doctorRequests = 0;
  private url = '';

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TestTokenIssuer> {
    const server = createServer((req, res) => {
      // auth's doctors directory, as the appointment service asks it (with the caller's token).
      const doctor = /^\/doctors\/([^/?]+)$/.exec(req.url ?? '');
      if (doctor) {
        const known = req.headers.authorization?.startsWith('Bearer ') && !issuer.notDoctors.has(doctor[1].toLowerCase());
        issuer.doctorRequests += 1;
        res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(known ? { id: doctor[1], email: 'doctor@example.com' } : { status: 404 }));
        return;
      }
      issuer.jwksRequests += 1;
      if (issuer.failWith) {
        res.writeHead(issuer.failWith).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: issuer.keys.map((key) => key.publicJwk) }));
    });
    const issuer = new TestTokenIssuer(server);
    await issuer.rotate();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return issuer;
  }

  get jwksUrl(): string {
    return this.url;
  }

  /** The token-verification variables of a service trusting this issuer (and auth's base URL). */
  get config(): { AUTH_JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string; AUTH_SERVICE_URL: string } {
    return {
      AUTH_JWKS_URL: this.url,
      JWT_ISSUER: TEST_TOKEN_ISSUER,
      JWT_AUDIENCE: TEST_TOKEN_AUDIENCE,
      AUTH_SERVICE_URL: this.url.replace('/.well-known/jwks.json', ''),
    };
  }

  /** The kid of the key that signs now. */
  get kid(): string {
    return this.signingKey.kid;
  }

  /** Publishes a new key beside the old ones and signs with it from now on (a key rotation). */
  async rotate(): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = `test-key-${this.keys.length + 1}-${randomUUID().slice(0, 8)}`;
    this.keys.push({ kid, privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } });
    return kid;
  }

  /** The signing key's public half as PEM text (what an HS256-confusion attacker would use as the secret). */
  publicKeyPem(): Promise<string> {
    return exportSPKI(this.signingKey.publicKey);
  }

  /** A valid access token for the role (ADMIN by default), unless the options break it. */
  sign(options: TestTokenOptions = {}): Promise<string> {
    const key = this.keys.find((k) => k.kid === options.kid) ?? this.signingKey;
    return new SignJWT({
      email: options.email ?? `${(options.role ?? 'ADMIN').toLowerCase()}@test.com`,
      role: options.role ?? 'ADMIN',
      ...(options.sessionId ? { sid: options.sessionId } : {}),
      ...options.claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? key.kid, typ: 'JWT' })
      .setSubject(options.userId ?? randomUUID())
      .setJti(options.tokenId ?? randomUUID())
      .setIssuer(options.issuer ?? TEST_TOKEN_ISSUER)
      .setAudience(options.audience ?? TEST_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 300)
      .sign(options.key ?? key.privateKey);
  }

  /** Signs exactly this payload with the signing key (for tokens lacking a claim). */
  signRaw(payload: JWTPayload): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' }).sign(this.signingKey.privateKey);
  }

  /** `Authorization` header value for a fresh token of the role. */
  async bearer(role: string, options: Omit<TestTokenOptions, 'role'> = {}): Promise<string> {
    return `Bearer ${await this.sign({ ...options, role })}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private get signingKey(): SigningKey {
    return this.keys[this.keys.length - 1];
  }
}
