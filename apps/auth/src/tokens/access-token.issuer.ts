import { ACCESS_TOKEN_ALGORITHM, type Role } from '@pm/auth-tokens';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { SigningKeys } from './signing-keys';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface TokenSubject {
  id: string;
  email: string;
  role: Role;
}

export interface IssuedAccessToken {
  token: string;
  tokenId: string;
  expiresIn: number;
  expiresAt: number;
}

/** The one place access tokens are signed (ES256, the current key's kid in the header). */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly settings: AccessTokenSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** `sessionId` becomes the `sid` claim: the login session (refresh-token family) the token belongs to. */
  async issue(subject: TokenSubject, sessionId: string): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.settings.ttlSeconds;
    const tokenId = randomUUID();
    const { kid, privateKey } = this.keys.current;
    const token = await new SignJWT({ email: subject.email, role: subject.role, sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: 'JWT' })
      .setSubject(subject.id)
      .setJti(tokenId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(privateKey);
    return { token, tokenId, expiresIn: this.settings.ttlSeconds, expiresAt };
  }
}
