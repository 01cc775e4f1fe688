import { PassportStrategy } from '@nestjs/passport';
import type { JwtPayload } from 'jsonwebtoken';
import { Authenticator } from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { InvalidAccessTokenError, RevokedAccessTokenError, TokenVerificationUnavailableError } from './access-token.errors';
import type { AccessTokenKeyProvider } from './access-token-keys';
import { AccessTokenClaims, TokenVerificationConfig, claimsFromPayload, pinnedVerifyOptions } from './access-token-policy';
import type { TokenRevocationList } from './token-revocation-list';

export const ACCESS_TOKEN_STRATEGY = 'access-token';

// Each strategy's own passport (filled in during super(), before the subclass has fields).
type Passport = InstanceType<typeof Authenticator>;
const ownPassports = new WeakMap<object, Passport>();

/**
 * passport-jwt over auth's keys: the bearer token's signature, algorithm, issuer, audience and
 * expiry (jsonwebtoken, with the pinned options), then its claims and the revocation list.
 * Invalid, expired or revoked → InvalidAccessTokenError; keys or Redis unreachable →
 * TokenVerificationUnavailableError.
 */
export class AccessTokenStrategy extends PassportStrategy(Strategy, ACCESS_TOKEN_STRATEGY) {
  constructor(
    config: TokenVerificationConfig,
    keys: AccessTokenKeyProvider,
    private readonly revocations?: TokenRevocationList,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: keys,
      ...pinnedVerifyOptions(config),
    });
  }

  /** Runs after jsonwebtoken accepted the token; throws to refuse it. */
  async validate(payload: JwtPayload): Promise<AccessTokenClaims> {
    const claims = claimsFromPayload(payload);
    if (this.revocations) {
      let revoked: boolean;
      try {
        revoked = await this.revocations.isRevoked(claims);
      } catch (error) {
        throw new TokenVerificationUnavailableError(`The revocation list is unavailable: ${(error as Error).message}`);
      }
      if (revoked) throw new RevokedAccessTokenError('The access token has been revoked');
    }
    return claims;
  }

  /** Runs this strategy through passport on a request that carries the token and nothing else. */
  verifyToken(token: string): Promise<AccessTokenClaims> {
    const request = { headers: { authorization: `Bearer ${token}` } };
    return new Promise((resolve, reject) => {
      const authenticate = this.passport.authenticate(
        ACCESS_TOKEN_STRATEGY,
        { session: false },
        (error: unknown, claims: AccessTokenClaims | false | undefined, failure: unknown) => {
          if (error) reject(error); // thrown by validate(): already one of ours
          else if (claims) resolve(claims);
          else reject(asVerificationError(failure));
        },
      );
      authenticate(request, {}, (error?: unknown) => reject(error ?? new Error('The access-token strategy neither accepted nor refused')));
    });
  }

  /** The passport this strategy is registered in. */
  get passport(): Passport {
    return this.getPassportInstance();
  }

  /**
   * Registers in a passport of its own rather than the process-wide one, so two apps in one
   * process (tests) never end up verifying with each other's keys or Redis.
   */
  getPassportInstance(): Passport {
    let passport = ownPassports.get(this);
    if (!passport) {
      passport = new Authenticator();
      ownPassports.set(this, passport);
    }
    return passport;
  }
}

/** Why the strategy refused a token: the key provider's errors as they are, jsonwebtoken's as invalid. */
function asVerificationError(failure: unknown): Error {
  if (failure instanceof TokenVerificationUnavailableError || failure instanceof InvalidAccessTokenError) return failure;
  return new InvalidAccessTokenError(failure instanceof Error ? failure.message : 'The access token was refused');
}
