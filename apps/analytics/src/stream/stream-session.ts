import { Inject, Injectable } from '@nestjs/common';
import { type AccessTokenClaims, TokenRevocationList } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/platform';
import { EMPTY, Observable, catchError, exhaustMap, filter, from, interval, map, race, share, take, timer } from 'rxjs';
import type { AnalyticsConfig } from '../config/analytics.config';

export type SessionEndReason = 'revoked' | 'expired';

/**
 * When an open stream's access token stops being valid: revoked (logout, disabled user, reused
 * refresh token), checked every STREAM_REVOCATION_CHECK_MS, or expired, at its `exp`. The guard
 * checked the token once, when the stream opened; this keeps checking while it stays open.
 */
@Injectable()
export class StreamSession {
  constructor(
    private readonly revocations: TokenRevocationList,
    @Inject(APP_CONFIG) private readonly config: Pick<AnalyticsConfig, 'STREAM_REVOCATION_CHECK_MS'>,
  ) {}

  /** Emits once, why the token stopped being valid, then completes. */
  end(token: AccessTokenClaims): Observable<SessionEndReason> {
    const revoked = interval(this.config.STREAM_REVOCATION_CHECK_MS).pipe(
      // A check that fails (Redis away) says nothing; the next one asks again.
      exhaustMap(() => from(this.revocations.isRevoked(token)).pipe(catchError(() => EMPTY))),
      filter(Boolean),
      map((): SessionEndReason => 'revoked'),
    );
    const expired = timer(new Date(token.expiresAt * 1000)).pipe(map((): SessionEndReason => 'expired'));
    return race(revoked, expired).pipe(take(1), share());
  }
}
