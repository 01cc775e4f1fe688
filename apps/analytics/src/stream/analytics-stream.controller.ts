import { Controller, Inject, MessageEvent, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access, type AccessTokenClaims, CurrentUser } from '@pm/auth-tokens';
import { APP_CONFIG } from '@pm/platform';
import { Observable, interval, map, merge, takeUntil } from 'rxjs';
import type { AnalyticsConfig } from '../config/analytics.config';
import { AnalyticsUpdates } from './analytics-updates';
import { StreamSession } from './stream-session';

@ApiTags('analytics stream')
@ApiBearerAuth()
@Controller('analytics')
export class AnalyticsStreamController {
  constructor(
    private readonly updates: AnalyticsUpdates,
    private readonly session: StreamSession,
    @Inject(APP_CONFIG) private readonly config: Pick<AnalyticsConfig, 'STREAM_HEARTBEAT_MS'>,
  ) {}

  @Sse('stream')
  @Access('GET /analytics/stream')
  @ApiOperation({
    summary: 'Live updates (Server-Sent Events)',
    description:
      'One `data:` line of JSON per applied event: {type: "patients" | "appointments" | "revenue", day, ...}; re-read the ' +
      'summaries on it. A comment line (": heartbeat") every STREAM_HEARTBEAT_MS keeps proxies from closing an idle stream. ' +
      'When the access token is revoked (logout, disabled user) or expires, one `event: session-ended` with data ' +
      '{reason: "revoked" | "expired"} is sent and the stream closes; reconnect with a fresh token.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream, open until the client disconnects' })
  stream(@CurrentUser() token: AccessTokenClaims): Observable<MessageEvent> {
    const ended = this.session.end(token);
    return merge(
      merge(
        this.updates.updates.pipe(map((update): MessageEvent => ({ data: update }))),
        interval(this.config.STREAM_HEARTBEAT_MS).pipe(map((): MessageEvent => ({ comment: 'heartbeat' }))),
      ).pipe(takeUntil(ended)),
      ended.pipe(map((reason): MessageEvent => ({ type: 'session-ended', data: { reason } }))),
    );
  }
}
