import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AccessTokenClaims } from '@pm/auth-tokens';
import { APP_CONFIG, Transaction, Transactions, Clock } from '@pm/platform';
import { randomUUID } from 'node:crypto';
import type { AuthConfig } from '../config/auth.config';
import { RevocationsService } from '../revocations/revocations.service';
import { epochSeconds } from '../time/epoch-seconds';
import { AccessTokenIssuer, IssuedAccessToken, TokenSubject } from '../tokens/access-token.issuer';
import { SessionMetrics } from './session.metrics';
import { InvalidRefreshTokenError, RevocationUnavailableError } from './sessions.errors';
import { hashRefreshToken, looksLikeRefreshToken, newRefreshTokenSecret } from './refresh-token.secret';
import { RefreshTokensRepository } from './refresh-tokens.repository';

/** An access token and the refresh token that renews it, both of one login session. */
export interface IssuedSession {
  sessionId: string;
  accessToken: IssuedAccessToken;
  refreshToken: string;
}

type RotationResult =
  | { outcome: 'rotated'; session: IssuedSession; userId: string }
  | { outcome: 'unknown' | 'expired' }
  | { outcome: 'reused'; familyId: string; userId: string }
  | { outcome: 'user_disabled'; familyId: string; userId: string };

export type RefreshOutcome = RotationResult['outcome'];

/**
 * Login sessions: a refresh-token family whose id is the access tokens' `sid`. Refresh tokens are
 * single use and rotated on every refresh; presenting a used or revoked one means it was stolen
 * (or replayed), so the whole family and its access tokens are revoked.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly transactions: Transactions,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly revocations: RevocationsService,
    private readonly metrics: SessionMetrics,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AuthConfig, 'ACCESS_TOKEN_TTL_SECONDS' | 'REFRESH_TOKEN_TTL_SECONDS'>,
  ) {}

  /** A new session for a user who has just proved who they are. */
  async start(user: TokenSubject): Promise<IssuedSession> {
    const sessionId = randomUUID();
    const refreshToken = newRefreshTokenSecret();
    await this.refreshTokens.insert({
      familyId: sessionId,
      userId: user.id,
      tokenHash: hashRefreshToken(refreshToken),
      expiresAt: this.refreshExpiry(),
    });
    return { sessionId, refreshToken, accessToken: await this.accessTokens.issue(user, sessionId) };
  }

  /** Exchanges a refresh token for a new pair of the same session; the presented one is used up. */
  async refresh(presented: string): Promise<IssuedSession> {
    const result = looksLikeRefreshToken(presented)
      ? await this.transactions.run((tx) => this.rotate(hashRefreshToken(presented), tx))
      : ({ outcome: 'unknown' } as const);
    this.metrics.refreshed(result.outcome);

    if (result.outcome === 'rotated') {
      this.logger.log({ outcome: result.outcome, userId: result.userId, sessionId: result.session.sessionId }, 'Session refreshed');
      return result.session;
    }
    if (result.outcome === 'reused') {
      this.logger.warn(
        { outcome: result.outcome, userId: result.userId, sessionId: result.familyId },
        'A used or revoked refresh token was presented: the whole session is revoked',
      );
      await this.revokeSessionAccessTokens(result.familyId).catch((error: unknown) =>
        // The refresh tokens are already revoked in the database; the access tokens live at most one TTL.
        this.logger.error({ sessionId: result.familyId, reason: (error as Error).message }, "Could not revoke the session's access tokens"),
      );
    } else {
      this.logger.warn({ outcome: result.outcome, ...('userId' in result ? { userId: result.userId } : {}) }, 'Refresh refused');
    }
    throw new InvalidRefreshTokenError();
  }

  /** Ends the session of this access token: the token itself, its session's other access tokens and its refresh tokens. */
  async logout(claims: AccessTokenClaims): Promise<void> {
    if (claims.sessionId) await this.refreshTokens.revokeFamily(claims.sessionId, this.clock.now());
    try {
      await this.revocations.revokeToken(claims.tokenId, claims.expiresAt);
      if (claims.sessionId) await this.revokeSessionAccessTokens(claims.sessionId);
    } catch (error) {
      throw new RevocationUnavailableError(error);
    }
    this.logger.log({ userId: claims.userId, sessionId: claims.sessionId }, 'Logged out');
  }

  /**
   * Ends every session of a user (disabled, role changed, password reset): every access token
   * issued up to now and every refresh token. Resolves only once the clock is past the revoked
   * second, so a token issued after this resolves (JWT `iat` counts whole seconds) is not caught.
   */
  async endAllSessionsOf(userId: string): Promise<void> {
    const now = this.clock.now();
    const cutoff = epochSeconds(now);
    await this.refreshTokens.revokeAllOfUser(userId, now);
    try {
      await this.revocations.revokeUserTokens(userId, cutoff, cutoff + this.config.ACCESS_TOKEN_TTL_SECONDS);
    } catch (error) {
      throw new RevocationUnavailableError(error);
    }
    this.logger.log({ userId }, 'Every session of the user ended');
    await this.clock.waitUntil((cutoff + 1) * 1000);
  }

  /** The rotation of one refresh token, all inside `tx`: claimed, checked and replaced together. */
  private async rotate(tokenHash: string, tx: Transaction): Promise<RotationResult> {
    const now = this.clock.now();
    const claimed = await this.refreshTokens.claim(tokenHash, now, tx);
    if (!claimed) {
      const existing = await this.refreshTokens.find(tokenHash, tx);
      if (!existing) return { outcome: 'unknown' };
      if (existing.usedAt || existing.revokedAt) {
        await this.refreshTokens.revokeFamily(existing.familyId, now, tx);
        return { outcome: 'reused', familyId: existing.familyId, userId: existing.userId };
      }
      return { outcome: 'expired' };
    }

    const user = await this.refreshTokens.findUser(claimed.userId, tx);
    if (!user || user.disabled) {
      await this.refreshTokens.revokeFamily(claimed.familyId, now, tx);
      return { outcome: 'user_disabled', familyId: claimed.familyId, userId: claimed.userId };
    }
    const refreshToken = newRefreshTokenSecret();
    await this.refreshTokens.insert(
      { familyId: claimed.familyId, userId: user.id, tokenHash: hashRefreshToken(refreshToken), expiresAt: this.refreshExpiry() },
      tx,
    );
    // The role and email are read again, so a refreshed access token carries the current ones.
    const accessToken = await this.accessTokens.issue({ id: user.id, email: user.email, role: user.role }, claimed.familyId);
    return { outcome: 'rotated', userId: user.id, session: { sessionId: claimed.familyId, refreshToken, accessToken } };
  }

  /** Every access token of the session stops working; the newest can live one access-token lifetime from now. */
  private revokeSessionAccessTokens(sessionId: string): Promise<void> {
    return this.revocations.revokeSession(sessionId, epochSeconds(this.clock.now()) + this.config.ACCESS_TOKEN_TTL_SECONDS);
  }

  private refreshExpiry(): Date {
    return new Date(this.clock.now().getTime() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
  }
}
